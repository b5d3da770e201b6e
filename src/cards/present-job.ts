import type { BackupJob, JobTask, TaskStatus } from '../domain/index.js';
import { isFinalJobStatus } from '../domain/index.js';
import type { JobListView, JobView, ViewLink } from './views.js';
import { jobActionData, presentActions } from './card-actions.js';
import {
  TASK_ICON,
  formatDuration,
  formatTime,
  jobErrorLines,
  jobStatusColor,
  jobStatusText,
  msBetween,
  plural,
  shownOf,
  taskStatusLabel,
  truncate,
} from './card-format.js';
import { RESTORE_KIND_NAMES } from './present-restore.js';
import { restoreOutcome } from './present-restore.js';

/** Rule 8: why Azure skips a transfer, in the words an on-call engineer needs. */
export const SKIPPED_TRANSFER_NOTE =
  'Why skipped: an earlier backup of this VM was still transferring; the next recovery point will include these changes.';
/** Rows of the job table; the rest is counted ("and N more") to keep the card small. */
export const JOB_LIST_ROWS = 15;
/** Refresh buttons on a job list: one per job would make a wall of buttons. */
export const JOB_LIST_BUTTONS = 3;
const MAX_ERRORS = 5;

export interface PhaseLine {
  icon: string;
  name: string;
  /** "In progress · running for 5 min", "Completed · took 8 min". */
  detail: string;
  /** One more line when the state needs explaining (a skipped transfer); '' otherwise. */
  note: string;
}

/**
 * One phase. Percentages are not reliable on Azure jobs, so time is what we show: elapsed since
 * the phase started (against `asOf`, when the view was made) while running, its duration after.
 */
export function phaseLine(
  p: JobTask,
  asOf: string,
  snapshotStatus: TaskStatus | undefined = undefined,
): PhaseLine {
  let time = '';
  if (p.status === 'InProgress') {
    const elapsed = msBetween(p.startTime, asOf);
    time = elapsed === undefined ? '' : `running for ${formatDuration(elapsed)}`;
  } else if (p.status === 'Completed' || p.status === 'Failed') {
    const took = p.durationMs ?? msBetween(p.startTime, p.endTime);
    time =
      took === undefined ? '' : `${p.status === 'Failed' ? 'failed after' : 'took'} ${formatDuration(took)}`;
  } else if (p.status === 'NotStarted' && snapshotStatus && snapshotStatus !== 'Failed') {
    time = 'starts when the snapshot completes';
  }
  return {
    icon: TASK_ICON[p.status],
    name: p.name,
    detail: [taskStatusLabel(p.status), time].filter(Boolean).join(' · '),
    note: p.status === 'Skipped' ? SKIPPED_TRANSFER_NOTE : '',
  };
}

function operationWords(job: BackupJob): string {
  if (job.isUserTriggered === undefined) return job.operation;
  return `${job.operation} (${job.isUserTriggered ? 'on demand' : 'scheduled'})`;
}

/** The job card: the portal's status, both phases with icons and times, errors, what was asked. */
export function presentJob(v: JobView) {
  const { job } = v;
  const final = isFinalJobStatus(job.status);
  const refresh = jobActionData(job, v.resourceGroup);
  const total = job.durationMs ?? msBetween(job.startTime, job.endTime);
  const facts = [
    { title: 'VM', value: job.vmName },
    { title: 'Operation', value: operationWords(job) },
    { title: 'Vault', value: job.vaultName },
    { title: 'Started', value: formatTime(job.startTime) },
    ...(final
      ? [
          { title: 'Ended', value: formatTime(job.endTime) },
          { title: 'Duration', value: formatDuration(total) },
        ]
      : [{ title: 'Running for', value: formatDuration(msBetween(job.startTime, v.asOf)) }]),
    ...restoreFacts(job),
    ...(v.retainUntil ? [{ title: 'Kept until', value: v.retainUntil }] : []),
    ...(v.consistency ? [{ title: 'Consistency', value: v.consistency }] : []),
    { title: 'Job id', value: job.id },
  ];
  // A backup's two phases, or another job's tasks (a restore's) in Azure's order.
  const phases = job.phases
    ? [
        phaseLine(job.phases.snapshot, v.asOf),
        phaseLine(job.phases.transfer, v.asOf, job.phases.snapshot.status),
      ]
    : (job.tasks ?? []).map((t) => phaseLine(t, v.asOf));
  return {
    title: `${job.operation} job · ${job.vmName}`,
    status: jobStatusText(job.status),
    statusColor: jobStatusColor(job.status),
    phases,
    // A job read from a list carries no task list; backups and restores always have tasks.
    phasesNote:
      phases.length === 0 && (job.operation === 'Backup' || job.operation === 'Restore')
        ? 'Phase details are not loaded yet: refresh.'
        : '',
    restoreNote: restoreOutcome(job),
    errors: jobErrorLines(job.errors, MAX_ERRORS),
    facts,
    canRefresh: !final,
    jobId: job.id,
    // The refresh names the job's vault, which may not be the default one.
    refreshData: refresh,
    actions: presentActions(final ? [] : [{ verb: 'job.refresh', title: 'Refresh', data: refresh }]),
    links: portalLinks(v.portalUrl),
    portalUrl: v.portalUrl ?? '',
    updated: `Updated ${formatTime(v.asOf)}`,
  };
}

/** A restore job's facts, as its property bag gives them (each only when Azure reported it). */
function restoreFacts(job: BackupJob): { title: string; value: string }[] {
  const r = job.restore;
  if (!r) return [];
  const fact = (title: string, value: string | undefined) => (value ? [{ title, value }] : []);
  return [
    ...fact('Restore', r.kind ? RESTORE_KIND_NAMES[r.kind] : r.jobType),
    ...fact('Recovery point', r.recoveryPointTime && formatTime(r.recoveryPointTime)),
    ...fact('Target VM', r.targetVmName),
    ...fact('Target resource group', r.targetResourceGroup),
    ...fact('Staging account', r.storageAccount),
  ];
}

/** The portal's job table: VM, operation, status, start, duration. */
export function presentJobList(v: JobListView) {
  const rows = v.jobs.slice(0, JOB_LIST_ROWS).map((j) => {
    const final = isFinalJobStatus(j.status);
    const ms = final ? (j.durationMs ?? msBetween(j.startTime, j.endTime)) : msBetween(j.startTime, v.asOf);
    return {
      vm: truncate(j.vmName, 40),
      operation: j.operation,
      status: jobStatusText(j.status),
      color: jobStatusColor(j.status),
      started: formatTime(j.startTime),
      duration: final || ms === undefined ? formatDuration(ms) : `${formatDuration(ms)} so far`,
    };
  });
  const n = v.jobs.length;
  return {
    title: `Backup jobs · ${v.vaultName}`,
    description: v.description,
    summary:
      n === 0
        ? 'No jobs match.'
        : n > JOB_LIST_ROWS
          ? `${shownOf(n, JOB_LIST_ROWS)} Newest first.`
          : `Showing ${plural(n, 'job')}, newest first.`,
    rows,
    actions: presentActions(
      v.jobs.slice(0, JOB_LIST_BUTTONS).map((j) => ({
        verb: 'job.refresh',
        title: `${truncate(j.vmName, 20)} · ${j.operation} · ${j.id.slice(0, 8)}`,
        data: jobActionData(j),
      })),
    ),
  };
}

/** The Azure portal link of a job card, when the bot makes one. */
export function portalLinks(url: string | undefined): ViewLink[] {
  return url ? [{ title: 'View in Azure portal', url }] : [];
}
