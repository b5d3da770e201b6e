/**
 * The two phases of an Azure VM backup job and the job status that follows from them, exactly as
 * the Azure portal's table says (DESIGN.md rule 7):
 *
 *   Snapshot   | Transfer data to vault | Job status
 *   Completed  | In progress            | In progress
 *   Completed  | Skipped                | Completed
 *   Completed  | Completed              | Completed
 *   Completed  | Failed                 | Completed with warning
 *   Failed     | Failed                 | Failed
 */
export const SNAPSHOT_TASK = 'Take Snapshot';
export const TRANSFER_TASK = 'Transfer data to vault';

export const TASK_STATUSES = ['NotStarted', 'InProgress', 'Completed', 'Failed', 'Skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const JOB_STATUSES = [
  'InProgress',
  'Completed',
  'CompletedWithWarnings',
  'Failed',
  'Cancelled',
  'Cancelling',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export function isTaskStatus(s: unknown): s is TaskStatus {
  return typeof s === 'string' && (TASK_STATUSES as readonly string[]).includes(s);
}

export function isJobStatus(s: unknown): s is JobStatus {
  return typeof s === 'string' && (JOB_STATUSES as readonly string[]).includes(s);
}

export function isFinalJobStatus(s: JobStatus): boolean {
  return s !== 'InProgress' && s !== 'Cancelling';
}

/**
 * The job status the portal shows for a pair of phase states. Rows of the table are exact; the
 * states before a phase ends (NotStarted, InProgress) keep the job in progress, and a failed
 * snapshot fails the job whatever the transfer says (the transfer never starts without a snapshot).
 */
export function deriveJobStatus(snapshot: TaskStatus, transfer: TaskStatus): JobStatus {
  if (snapshot === 'Failed') return 'Failed';
  if (snapshot !== 'Completed' && snapshot !== 'Skipped') return 'InProgress';
  switch (transfer) {
    case 'NotStarted':
    case 'InProgress':
      return 'InProgress';
    case 'Skipped':
    case 'Completed':
      return 'Completed';
    case 'Failed':
      return 'CompletedWithWarnings';
  }
}

/** Which phase can change next: what a watcher needs to read job details for. */
export function activePhase(snapshot: TaskStatus, transfer: TaskStatus): 'snapshot' | 'transfer' | 'none' {
  if (snapshot === 'NotStarted' || snapshot === 'InProgress') return 'snapshot';
  if (snapshot === 'Completed' && (transfer === 'NotStarted' || transfer === 'InProgress')) return 'transfer';
  return 'none';
}
