import type { JobAlertView, JobView } from '../cards/views.js';
import type { BackupJob, WatchRequest } from '../domain/index.js';
import type { JobAlert } from '../jobs/scheduled-job-alerts.js';
import type { Watch } from '../store/watch-store.js';
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

/** A watched job's card as of `asOf`: it keeps what the watch carries (retain-until, consistency). */
export function watchedJobView(
  watch: Pick<Watch, 'extras' | 'resourceGroup'>,
  job: BackupJob,
  defaults: ChatDefaults,
  asOf: Date,
): JobView {
  return toJobView(job, defaults, asOf, { ...watch.extras, resourceGroup: watch.resourceGroup });
}

/** An alert's card: the job, and whether its vault is the default one (the one commands act on unnamed). */
export function toJobAlertView(alert: JobAlert, defaults: ChatDefaults): JobAlertView {
  const { job, vault: v, asOf } = alert;
  // Same-named vaults of two subscriptions differ: the default is the first subscription's.
  const subscription = (v.subscription ?? job.vaultSubscription)?.toLowerCase();
  const inDefaultVault =
    v.vault.toLowerCase() === defaults.vaultName.toLowerCase() &&
    v.resourceGroup.toLowerCase() === defaults.vaultResourceGroup.toLowerCase() &&
    (subscription === undefined || subscription === defaults.subscriptionId.toLowerCase());
  const { portalUrl } = toJobView(job, defaults, asOf, { resourceGroup: v.resourceGroup });
  return {
    kind: 'job-alert',
    job,
    resourceGroup: v.resourceGroup,
    inDefaultVault,
    asOf: asOf.toISOString(),
    ...(portalUrl ? { portalUrl } : {}),
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
