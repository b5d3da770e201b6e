import { randomUUID } from 'node:crypto';
import type { SimulatedClock } from './simulated-clock.js';
import type { OperationOutcome, SandboxOperation, SandboxWorld } from './world.js';

/**
 * How long Azure Backup's long-running operations took in the recorded live sessions (simulated
 * seconds). They run on their own clock and finish whether or not anyone polls.
 */
export const RECORDED_OPERATION_SECONDS = {
  /** refreshContainers: 202, Location polled, 204 after ~11 s (test_backup_protection.yaml). */
  refreshContainers: 11,
  /** Enable protection: ~93 s to Succeeded; the ConfigureBackup job took 1m31s (same recording). */
  enableProtection: 92,
  /** Resume, stop keeping data, undelete: ~11–14 s each (test_backup_scenario/_protection/_softdelete). */
  itemUpdate: 11,
  /** Stop and delete data with soft delete on: ~13 s (test_backup_softdelete.yaml). */
  softDelete: 11,
  /** Stop and delete data with soft delete off: ~116 s; the job took 1m52s (test_backup_scenario.yaml). */
  hardDelete: 112,
  /** Backup now: the operation had Succeeded at the first poll, about 1 s later (test_backup_rp.yaml). */
  backupTrigger: 1,
  /** Restore: Succeeded at the first poll, 1–2 s after the 202, in all three recorded restores. */
  restoreTrigger: 1,
} as const;

/**
 * How long the recorded restore jobs' tasks took (test_backup_restore.yaml, one 127 GB Windows VM,
 * a point with snapshot and vault copies). Tasks report no times of their own (`PT0S`), so the
 * split is read from the job samples: the transfer was done within ~66 s when restoring from the
 * snapshot (disks with a target group 67 s in all; a new VM's transfer done at 66 s, the job 2 min
 * 35 s; replace disks at 99 % from ~1 min to its end at 25 min 10 s). A copy from the vault tier
 * (disks restored as unmanaged, no snapshot used) took 30 min 47 s.
 */
export const RECORDED_RESTORE_SECONDS = {
  transferFromSnapshot: 65,
  transferFromVault: 1847,
  createVm: 90,
  updateVm: 1445,
} as const;

export interface OperationTiming {
  /** Simulated milliseconds until it completes (scaled by the sandbox's operation time scale). */
  durationMs: number;
  /** Runs when the operation completes: the change it makes to the world. */
  onDone?: () => void;
}

/**
 * Long-running operations as Azure Backup runs them: the write answers 202 with
 * `Azure-AsyncOperation` / `Location` headers; the operation is InProgress until its recorded
 * duration has passed on the simulated clock, then reports its outcome (a job id, or an error).
 * Completion depends on time alone: an operation nobody polls still finishes.
 */
export class AsyncOperations {
  constructor(
    private readonly world: SandboxWorld,
    private readonly clock: SimulatedClock,
    /** Multiplies every duration: 0 makes operations finish at once (unit tests on a stopped clock). */
    private readonly timeScale: number,
  ) {
    clock.onAdvance(() => this.catchUp());
  }

  /** `id`: a restore's operation shares its id with the job it starts, as recorded. */
  start(
    outcome: OperationOutcome,
    timing: OperationTiming = { durationMs: 0 },
    id: string = randomUUID(),
  ): SandboxOperation {
    const startMs = this.clock.now().getTime();
    const op: SandboxOperation = {
      id,
      startMs,
      dueMs: startMs + Math.round(timing.durationMs * this.timeScale),
      outcome,
      done: false,
      ...(timing.onDone ? { onDone: timing.onDone } : {}),
    };
    this.world.operations.set(op.id, op);
    this.catchUp();
    return op;
  }

  /** A duration in simulated ms, as this sandbox scales it (jobs that end with an operation). */
  scaled(durationMs: number): number {
    return Math.round(durationMs * this.timeScale);
  }

  /** The operation as of now: completed first if its time has come. */
  read(id: string): { op: SandboxOperation; running: boolean } | undefined {
    const op = this.world.operations.get(id);
    if (!op) return undefined;
    this.catchUp();
    return { op, running: !op.done };
  }

  /** Completes every operation whose time has come, in the order they were due. */
  catchUp(): void {
    const now = this.clock.now().getTime();
    const due = [...this.world.operations.values()]
      .filter((op) => !op.done && op.dueMs <= now)
      .sort((a, b) => a.dueMs - b.dueMs);
    for (const op of due) {
      op.done = true;
      op.endMs = op.dueMs;
      op.onDone?.();
    }
  }

  /**
   * The operation status body of Azure Backup, as recorded: InProgress with the placeholder end
   * time `0001-01-01T00:00:00` (no `Z`) and no properties; Succeeded with `endTime` equal to
   * `startTime` (not the real end) and the job id.
   */
  statusBody(op: SandboxOperation, running: boolean): Record<string, unknown> {
    const start = new Date(op.startMs).toISOString();
    if (running) {
      return {
        id: op.id,
        name: op.id,
        status: 'InProgress',
        startTime: start,
        endTime: '0001-01-01T00:00:00',
      };
    }
    if ('error' in op.outcome) {
      const end = new Date(op.endMs ?? op.startMs).toISOString();
      return {
        id: op.id,
        name: op.id,
        status: 'Failed',
        startTime: start,
        endTime: end,
        error: op.outcome.error,
      };
    }
    return {
      id: op.id,
      name: op.id,
      status: 'Succeeded',
      startTime: start,
      endTime: start,
      ...(op.outcome.jobId
        ? { properties: { objectType: 'OperationStatusJobExtendedInfo', jobId: op.outcome.jobId } }
        : {}),
    };
  }
}
