import type { JobPhase } from '../domain/index.js';
import { taskStatusLabel } from '../domain/index.js';
import type { JobListView, JobView } from './views.js';
import {
  TASK_ICON,
  formatDuration,
  formatTime,
  jobStatusColor,
  jobStatusText,
  truncate,
} from './card-format.js';

const SKIPPED_NOTE =
  'Transfer skipped: an earlier backup of this VM was still transferring to the vault. The next recovery point will include these changes.';
const LIST_ROWS = 15;
const LIST_BUTTONS = 3;

/** The job card: both phases with icons and elapsed time, the portal's status, errors, links. */
export function presentJob(v: JobView) {
  const { job } = v;
  const asOf = Date.parse(v.asOf);
  const phase = (p: JobPhase | undefined, name: string) => {
    if (!p) return { icon: '⚪', name, detail: 'Not reported by Azure yet' };
    const elapsed =
      p.status === 'InProgress' && p.startTime
        ? `running for ${formatDuration(asOf - Date.parse(p.startTime))}`
        : p.durationMs !== undefined && p.status !== 'NotStarted' && p.status !== 'Skipped'
          ? `took ${formatDuration(p.durationMs)}`
          : '';
    return {
      icon: TASK_ICON[p.status],
      name,
      detail: [taskStatusLabel(p.status), elapsed].filter(Boolean).join(' · '),
    };
  };
  const final = job.status !== 'InProgress' && job.status !== 'Cancelling';
  const facts = [
    { title: 'VM', value: job.vmName },
    {
      title: 'Operation',
      value: `${job.operation}${job.isUserTriggered === false ? ' (scheduled)' : job.isUserTriggered ? ' (on demand)' : ''}`,
    },
    { title: 'Vault', value: job.vaultName },
    { title: 'Started', value: formatTime(job.startTime) },
    ...(final && job.endTime ? [{ title: 'Ended', value: formatTime(job.endTime) }] : []),
    ...(final && job.durationMs !== undefined
      ? [{ title: 'Duration', value: formatDuration(job.durationMs) }]
      : []),
    ...(v.retainUntil ? [{ title: 'Kept until', value: v.retainUntil }] : []),
    ...(v.consistency ? [{ title: 'Consistency', value: v.consistency }] : []),
    { title: 'Job id', value: job.id },
  ];
  return {
    title: `Backup job · ${job.vmName}`,
    status: jobStatusText(job.status),
    statusColor: jobStatusColor(job.status),
    facts,
    phases: job.phases
      ? [phase(job.phases.snapshot, 'Take Snapshot'), phase(job.phases.transfer, 'Transfer data to vault')]
      : [],
    skippedNote: job.phases?.transfer.status === 'Skipped' ? SKIPPED_NOTE : '',
    errors: job.errors.map((e) => ({
      code: e.code,
      message: truncate(e.message, 500),
      recommendations: e.recommendations.join(' '),
    })),
    canRefresh: !final,
    jobId: job.id,
    portalUrl: v.portalUrl ?? '',
    updated: `Updated ${formatTime(v.asOf)}`,
  };
}

/** The portal's job table: VM, operation, status, start, duration. */
export function presentJobList(v: JobListView) {
  const asOf = Date.parse(v.asOf);
  const rows = v.jobs.slice(0, LIST_ROWS).map((j) => ({
    vm: truncate(j.vmName, 40),
    operation: j.operation,
    status: jobStatusText(j.status),
    color: jobStatusColor(j.status),
    started: formatTime(j.startTime),
    duration: formatDuration(j.durationMs ?? (j.startTime ? asOf - Date.parse(j.startTime) : undefined)),
  }));
  return {
    title: `Backup jobs · ${v.vaultName}`,
    description: v.description,
    summary:
      v.jobs.length === 0
        ? 'No jobs match.'
        : v.jobs.length > LIST_ROWS
          ? `Showing ${LIST_ROWS} of ${v.jobs.length}, newest first (and ${v.jobs.length - LIST_ROWS} more).`
          : `Showing ${v.jobs.length}, newest first.`,
    rows,
    buttons: v.jobs.slice(0, LIST_BUTTONS).map((j) => ({
      title: `Open ${truncate(j.vmName, 20)} ${j.operation} (${j.id.slice(0, 8)})`,
      jobId: j.id,
    })),
  };
}
