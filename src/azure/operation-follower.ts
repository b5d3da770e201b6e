import type { OperationStatus } from '@azure/arm-recoveryservicesbackup';
import { AppError } from '../domain/errors.js';
import { command, fact } from '../domain/suggestions.js';
import { operationFailure } from './azure-error-translation.js';
import type { RequestPriority } from './request-budget-scheduler.js';
import { currentPriority } from './request-budget-scheduler.js';
import { ResponseCapture } from './response-capture.js';

export interface FollowSettings {
  /** Longest wait between two status reads while a person waits, whatever Retry-After says. */
  maxIntervalMs: number;
  timeoutMs: number;
  /** How a wait is waited (tests record the waits instead). */
  sleep?: (ms: number) => Promise<void>;
}

/** Both official clients read the status about 1 s after the 202 (az CLI and PowerShell records). */
const FIRST_READ_MS = 1000;

/**
 * How long to wait before the next status read. Azure Backup's item 202s say `Retry-After: 60`
 * (PowerShell records, 2022–2025), yet its operations end in 1–93 s and both official clients poll
 * a person's command every 5–10 s regardless. So a command a person waits on reads after 1 s, then
 * every `maxIntervalMs` (never later than Retry-After asks); background work waits what Azure
 * asks, and never less than `maxIntervalMs`. A read's own Retry-After replaces the 202's.
 */
export function nextWaitMs(
  priority: RequestPriority,
  retryAfterMs: number | undefined,
  readsSoFar: number,
  s: Pick<FollowSettings, 'maxIntervalMs'>,
): number {
  if (priority === 'background') return Math.max(retryAfterMs ?? s.maxIntervalMs, s.maxIntervalMs);
  const ceiling = Math.min(retryAfterMs ?? s.maxIntervalMs, s.maxIntervalMs);
  return readsSoFar === 0 ? Math.min(FIRST_READ_MS, ceiling) : ceiling;
}

/**
 * Follows a Recovery Services write that answered 202 (DESIGN.md section 3): reads the operation
 * status until it leaves InProgress, paced as nextWaitMs says, and returns the final status (whose
 * `properties.jobId` names the job). A Failed status becomes an AppError, as a thrown error would.
 */
export async function followOperation(
  initial: ResponseCapture,
  readStatus: (operationId: string, capture: ResponseCapture) => Promise<OperationStatus>,
  settings: FollowSettings,
  action: string,
): Promise<OperationStatus | undefined> {
  if (initial.status !== 202) return undefined;
  const operationId = initial.operationId();
  if (!operationId) {
    throw new AppError(
      'azure.missing_operation',
      `Could not ${action}: Azure accepted it but named no operation to follow.`,
    );
  }
  const deadline = Date.now() + settings.timeoutMs;
  const priority = currentPriority();
  let retryAfter = initial.retryAfterMs();
  for (let reads = 0; ; reads++) {
    await pause(nextWaitMs(priority, retryAfter, reads, settings), settings, deadline, action);
    const capture = new ResponseCapture();
    const status = await readStatus(operationId, capture);
    if (status.status !== 'InProgress' && status.status !== 'Invalid') {
      if (status.status === 'Failed' || status.status === 'Canceled') {
        throw operationFailure(status.error?.code, status.error?.message, action);
      }
      return status;
    }
    retryAfter = capture.retryAfterMs() ?? retryAfter;
  }
}

/**
 * Follows an operation whose result URL answers 202 while running and 200/204 when done
 * (container refresh, for example).
 */
export async function followOperationResult(
  initial: ResponseCapture,
  readResult: (operationId: string, capture: ResponseCapture) => Promise<void>,
  settings: FollowSettings,
  action: string,
): Promise<void> {
  if (initial.status !== 202) return;
  const operationId = initial.operationId();
  if (!operationId) return;
  const deadline = Date.now() + settings.timeoutMs;
  const priority = currentPriority();
  let retryAfter = initial.retryAfterMs();
  for (let reads = 0; ; reads++) {
    await pause(nextWaitMs(priority, retryAfter, reads, settings), settings, deadline, action);
    const capture = new ResponseCapture();
    await readResult(operationId, capture);
    if (capture.status !== 202) return;
    retryAfter = capture.retryAfterMs() ?? retryAfter;
  }
}

/** The id of the job an operation started, when it started one. */
export function jobIdOf(status: OperationStatus | undefined): string | undefined {
  const props = status?.properties;
  return props && 'jobId' in props && typeof props.jobId === 'string' ? props.jobId : undefined;
}

/** The job an accepted write started; Azure naming none is an unexpected answer, said plainly. */
export function requiredJobId(status: OperationStatus | undefined, what: string): string {
  const jobId = jobIdOf(status);
  if (jobId) return jobId;
  throw new AppError('azure.unexpected_response', `Azure accepted ${what} but named no job.`, {
    suggestions: [command('status of jobs')],
  });
}

async function pause(waitMs: number, s: FollowSettings, deadline: number, action: string): Promise<void> {
  if (Date.now() >= deadline) {
    throw new AppError(
      'azure.operation_timeout',
      `Could not ${action}: Azure accepted the request but it had not finished after ${Math.round(s.timeoutMs / 1000)} s.`,
      {
        suggestions: [
          fact('operation-may-complete'),
          { kind: 'command', text: 'status of jobs', quiet: true },
        ],
      },
    );
  }
  const ms = Math.min(waitMs, Math.max(0, deadline - Date.now()));
  if (ms > 0) await (s.sleep ?? sleep)(ms);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
