import type { JobView } from '../cards/views.js';
import type { BackupJob, WatchRequest } from '../domain/index.js';
import type { ChatDefaults } from './command.js';

/** The job card's view: shared by "backup now", "job <id>", the card's refresh button and the JobWatcher. */
export function toJobView(
  job: BackupJob,
  defaults: ChatDefaults,
  asOf: Date,
  extras: { retainUntil?: string; consistency?: string; resourceGroup?: string } = {},
): JobView {
  const rg = extras.resourceGroup ?? defaults.vaultResourceGroup;
  return {
    kind: 'job',
    job,
    resourceGroup: rg,
    asOf: asOf.toISOString(),
    ...(extras.retainUntil ? { retainUntil: extras.retainUntil } : {}),
    ...(extras.consistency ? { consistency: extras.consistency } : {}),
    ...(defaults.portalLinks
      ? {
          portalUrl: `https://portal.azure.com/#@/resource/subscriptions/${job.vaultSubscription ?? defaults.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${job.vaultName}/backupJobs`,
        }
      : {}),
  };
}

/** The watch of a job's card: in the job's own subscription, so its reads go back there. */
export function watchOf(job: BackupJob, resourceGroup: string): WatchRequest {
  return {
    jobId: job.id,
    vaultName: job.vaultName,
    resourceGroup,
    ...(job.vaultSubscription ? { subscription: job.vaultSubscription } : {}),
  };
}
