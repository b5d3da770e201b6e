import type { BackupJob } from '../domain/index.js';
import type { ViewAction } from './views.js';

/**
 * A button as presenters hand it to both renderers: every field defined (the template engine leaves
 * `${style}` in place for a missing one). The Adaptive Card sends a card input only with a button
 * that declares it (the approver's typed name), so Reject never needs the name typed.
 */
export interface PresentedAction {
  verb: ViewAction['verb'];
  title: string;
  data: Record<string, string>;
  style: 'positive' | 'destructive' | 'default';
  associatedInputs: 'auto' | 'none';
}

export function presentActions(actions: readonly ViewAction[]): PresentedAction[] {
  return actions.map((a) => ({
    verb: a.verb,
    title: a.title,
    data: a.data,
    style: a.style ?? 'default',
    associatedInputs: a.input ? 'auto' : 'none',
  }));
}

/**
 * What a job's buttons send: the job and where it is (vault, resource group, subscription), so a
 * refresh reads it from its own vault even in an "across all vaults" list (checked in show-job).
 */
export function jobActionData(job: BackupJob, resourceGroup?: string): Record<string, string> {
  // Every key always there ('' when not known): the job card's template names each one.
  return {
    jobId: job.id,
    vault: job.vaultName,
    resourceGroup: resourceGroup ?? job.vaultResourceGroup ?? '',
    subscription: job.vaultSubscription ?? '',
  };
}
