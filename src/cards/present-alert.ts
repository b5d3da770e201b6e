import type { BackupJob } from '../domain/index.js';
import {
  formatDuration,
  formatTime,
  jobErrorLines,
  jobStatusColor,
  jobStatusIcon,
  msBetween,
} from './card-format.js';
import { presentActions } from './card-actions.js';
import { portalLinks } from './present-job.js';
import type { JobAlertView, ViewAction } from './views.js';

const MAX_ERRORS = 3;

/** What the outcome means for the VM, in the words an on-call engineer needs. */
function outcomeWords(job: BackupJob): string {
  if (job.status === 'CompletedWithWarnings') {
    return 'Completed with warning: the snapshot was taken, but its transfer to the vault failed, so the vault has no new recovery point yet.';
  }
  return 'Failed: no recovery point was made.';
}

/** The phase that failed: from the task list when the job's details were read. */
export function failedPhase(job: BackupJob): string {
  const p = job.phases;
  if (!p) return 'Not known (the job details could not be read)';
  if (p.snapshot.status === 'Failed') return p.snapshot.name;
  if (p.transfer.status === 'Failed') return p.transfer.name;
  return 'None reported';
}

/** The alert card: which VM, what failed and why, when, and what to do next. */
export function presentJobAlert(v: JobAlertView) {
  const { job } = v;
  // Commands act on the default vault unless told another: the card says the job's vault back.
  const where = v.inDefaultVault
    ? ''
    : ` in vault ${v.resourceGroup}/${job.vaultName}${job.vaultSubscription ? ` in subscription ${job.vaultSubscription}` : ''}`;
  const backupCommand = `backup ${job.vmName} now${where}`;
  const jobCommand = `job ${job.id}${where}`;
  const actions: ViewAction[] = [
    v.inDefaultVault
      ? { title: 'Back up now', verb: 'backup.now', data: { vm: job.vmName } }
      : { title: 'Back up now', verb: 'command.run', data: { text: backupCommand } },
    { title: 'Job details', verb: 'command.run', data: { text: jobCommand } },
  ];
  return {
    title: `${jobStatusIcon(job.status)} Scheduled backup ${job.status === 'Failed' ? 'failed' : 'completed with warning'} · ${job.vmName}`,
    status: outcomeWords(job),
    statusColor: jobStatusColor(job.status),
    errors: jobErrorLines(job.errors, MAX_ERRORS),
    noErrors: job.errors.length === 0 ? 'Azure gave no error details for this job.' : '',
    facts: [
      { title: 'VM', value: job.vmName },
      { title: 'Vault', value: `${job.vaultName} (${v.resourceGroup})` },
      { title: 'Failed phase', value: failedPhase(job) },
      { title: 'Started', value: formatTime(job.startTime) },
      { title: 'Ended', value: formatTime(job.endTime) },
      { title: 'Duration', value: formatDuration(job.durationMs ?? msBetween(job.startTime, job.endTime)) },
      { title: 'Job id', value: job.id },
    ],
    nextStep: `Next: fix the cause above, then type “${backupCommand}” for a backup now, or “${jobCommand}” for the job's details.`,
    actions: presentActions(actions),
    links: portalLinks(v.portalUrl),
    portalUrl: v.portalUrl ?? '',
    updated: `Alert sent ${formatTime(v.asOf)}`,
  };
}
