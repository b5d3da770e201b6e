import { randomUUID } from 'node:crypto';
import type { OperationOutcome, SandboxOperation, SandboxWorld } from './world.js';

/**
 * Long-running operations as Azure Backup runs them: the write answers 202 with
 * `Azure-AsyncOperation` / `Location` headers; the operation stays InProgress for a configured
 * number of status reads, then reports its outcome (a job id, or an error).
 */
export class AsyncOperations {
  constructor(
    private readonly world: SandboxWorld,
    private readonly polls: number,
    private readonly now: () => Date,
  ) {}

  start(outcome: OperationOutcome, onDone?: () => void): SandboxOperation {
    const op: SandboxOperation = {
      id: randomUUID(),
      readsLeft: this.polls,
      startMs: this.now().getTime(),
      outcome,
      done: false,
      ...(onDone ? { onDone } : {}),
    };
    this.world.operations.set(op.id, op);
    if (op.readsLeft <= 0) this.complete(op);
    return op;
  }

  /** One read of the operation: true while it is still running. */
  read(id: string): { op: SandboxOperation; running: boolean } | undefined {
    const op = this.world.operations.get(id);
    if (!op) return undefined;
    if (!op.done && op.readsLeft > 0) {
      op.readsLeft--;
      return { op, running: true };
    }
    this.complete(op);
    return { op, running: false };
  }

  /** The operation status body of Azure Backup (ProtectedItemOperationStatuses_Get.json). */
  statusBody(op: SandboxOperation, running: boolean): Record<string, unknown> {
    const start = new Date(op.startMs).toISOString();
    if (running)
      return {
        id: op.id,
        name: op.id,
        status: 'InProgress',
        startTime: start,
        endTime: '0001-01-01T00:00:00.00000Z',
      };
    const end = new Date(op.endMs ?? this.now().getTime()).toISOString();
    if ('error' in op.outcome)
      return {
        id: op.id,
        name: op.id,
        status: 'Failed',
        startTime: start,
        endTime: end,
        error: op.outcome.error,
      };
    return {
      id: op.id,
      name: op.id,
      status: 'Succeeded',
      startTime: start,
      endTime: end,
      ...(op.outcome.jobId
        ? { properties: { objectType: 'OperationStatusJobExtendedInfo', jobId: op.outcome.jobId } }
        : {}),
    };
  }

  private complete(op: SandboxOperation): void {
    if (op.done) return;
    op.done = true;
    op.endMs = this.now().getTime();
    op.onDone?.();
  }
}
