import type { OperationStatus } from '@azure/arm-recoveryservicesbackup';
import { AppError } from '../domain/errors.js';
import { command, fact } from '../domain/suggestions.js';
import { operationFailure } from './azure-error-translation.js';
import { ResponseCapture } from './response-capture.js';

export interface FollowSettings {
  /** Longest wait between two status reads, whatever Retry-After says. */
  maxIntervalMs: number;
  timeoutMs: number;
}

/**
 * Follows a Recovery Services write that answered 202 (DESIGN.md section 3): reads the operation
 * status until it leaves InProgress, honouring Retry-After, and returns the final status (whose
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
  let wait = initial.retryAfterMs();
  for (;;) {
    await pause(wait, settings, deadline, action);
    const capture = new ResponseCapture();
    const status = await readStatus(operationId, capture);
    if (status.status !== 'InProgress' && status.status !== 'Invalid') {
      if (status.status === 'Failed' || status.status === 'Canceled') {
        throw operationFailure(status.error?.code, status.error?.message, action);
      }
      return status;
    }
    wait = capture.retryAfterMs();
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
  let wait = initial.retryAfterMs();
  for (;;) {
    await pause(wait, settings, deadline, action);
    const capture = new ResponseCapture();
    await readResult(operationId, capture);
    if (capture.status !== 202) return;
    wait = capture.retryAfterMs();
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

async function pause(
  waitMs: number | undefined,
  s: FollowSettings,
  deadline: number,
  action: string,
): Promise<void> {
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
  const ms = Math.min(waitMs ?? 1000, s.maxIntervalMs, Math.max(0, deadline - Date.now()));
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
