import type { JobStatus } from '../domain/index.js';
import { MIN_WINDOWS_AGENT, compareVersions, deriveJobStatus } from '../domain/index.js';
import { AGENT_UNAVAILABLE, SNAPSHOT_FAILED, TRANSFER_FAILED } from './job-errors.js';
import type { JobFailure } from './job-errors.js';
import type { DurationSpread } from './duration-spread.js';
import { checkSpread, drawDurations } from './duration-spread.js';
import type { SimulatedClock } from './simulated-clock.js';
import type { SandboxJob, SandboxProtectedItem, SandboxRestore, SandboxVm, SandboxWorld } from './world.js';
import { newSandboxJob } from './world.js';

export interface JobTimings {
  snapshotMs: number;
  transferMs: number;
  /** ConfigureBackup, DisableBackup and DeleteBackupData jobs. */
  shortJobMs: number;
}

/**
 * Moves jobs through their phases on the simulated clock, one event at a time in time order:
 * Take Snapshot → Transfer data to vault (or Skipped when an earlier backup of the same VM is still
 * transferring, DESIGN.md rule 8) → recovery point. Job status always follows from the two phases
 * (deriveJobStatus, rule 7).
 */
export class JobEngine {
  /** When set, each backup's durations are drawn from it instead of the fixed timings. */
  private spread: DurationSpread | undefined;
  /** catchUp's memo: the earliest event not yet due, as of a scan over this many jobs. */
  private nextDueMs = Number.NEGATIVE_INFINITY;
  private scannedJobs = -1;

  constructor(
    private readonly world: SandboxWorld,
    private readonly clock: SimulatedClock,
    private readonly timings: JobTimings,
  ) {
    clock.onAdvance(() => this.catchUp());
  }

  /** Draws every later backup's durations from `spread` (undefined: back to the fixed timings). */
  spreadDurations(spread: DurationSpread | undefined): void {
    this.spread = spread && checkSpread(spread);
  }

  /** The backup of this VM still taking its snapshot, if any (rule 6: one snapshot at a time). */
  snapshotInProgress(vmResourceId: string): SandboxJob | undefined {
    this.catchUp();
    return this.world.jobs.find(
      (j) => sameId(j.vmResourceId, vmResourceId) && j.tasks?.snapshot.status === 'InProgress',
    );
  }

  startBackup(item: SandboxProtectedItem, vm: SandboxVm, expiry: string, isUserTriggered = true): SandboxJob {
    const now = this.clock.now().getTime();
    const planned = this.world.plannedFailures.get(vm.name.toLowerCase());
    this.world.plannedFailures.delete(vm.name.toLowerCase());
    // The agent is not checked when protection is enabled, only when a running VM is snapshotted.
    const agentProblem =
      vm.powerState === 'running' &&
      (!vm.agentVersion ||
        (vm.osType === 'Windows' && compareVersions(vm.agentVersion, MIN_WINDOWS_AGENT) < 0));
    const failSnapshot = agentProblem
      ? AGENT_UNAVAILABLE
      : planned === 'snapshot'
        ? SNAPSHOT_FAILED
        : undefined;
    const durations = this.spread
      ? drawDurations(
          this.spread,
          vm.name,
          this.world.jobs.filter((j) => j.operation === 'Backup' && sameId(j.vmResourceId, vm.id)).length,
        )
      : { snapshotMs: this.timings.snapshotMs, transferMs: this.timings.transferMs };
    const job: SandboxJob = {
      ...newSandboxJob('Backup', item.vaultKey, vm, now),
      isUserTriggered,
      tasks: { snapshot: { status: 'InProgress', startMs: now }, transfer: { status: 'NotStarted' } },
      ...(failSnapshot ? { failSnapshot } : {}),
      ...(planned === 'transfer' ? { failTransfer: TRANSFER_FAILED } : {}),
      vmWasRunning: vm.powerState === 'running',
      recoveryPointExpiry: expiry,
      ...durations,
    };
    this.world.jobs.push(job);
    return job;
  }

  /** A job without phases (configure, disable, undelete, delete data) that ends after `durationMs`. */
  startShortJob(
    operation: SandboxJob['operation'],
    vaultKey: string,
    vm: { name: string; id: string },
    durationMs: number,
    rest: Partial<SandboxJob> = {},
  ): SandboxJob {
    const now = this.clock.now().getTime();
    const job: SandboxJob = {
      ...newSandboxJob(operation, vaultKey, vm, now, rest),
      plannedEndMs: now + durationMs,
    };
    this.world.jobs.push(job);
    this.catchUp();
    return job;
  }

  /**
   * A restore job: its steps (the recorded tasks) run one after the other for their durations, then
   * the restore makes its change to the world (a new VM, disks, a VM's disks replaced).
   */
  startRestore(
    vaultKey: string,
    vm: { name: string; id: string },
    id: string,
    restore: Omit<SandboxRestore, 'steps'> & { steps: { name: string; ms: number }[] },
  ): SandboxJob {
    const now = this.clock.now().getTime();
    const steps = restore.steps.map((s, i) => ({
      ...s,
      status: i === 0 ? ('InProgress' as const) : ('NotStarted' as const),
      ...(i === 0 ? { startMs: now } : {}),
    }));
    const job: SandboxJob = {
      ...newSandboxJob('Restore', vaultKey, vm, now),
      id,
      restore: { ...restore, steps },
    };
    this.world.jobs.push(job);
    this.catchUp();
    return job;
  }

  statusOf(job: SandboxJob): JobStatus {
    if (job.tasks) return deriveJobStatus(job.tasks.snapshot.status, job.tasks.transfer.status);
    return job.endMs === undefined ? 'InProgress' : 'Completed';
  }

  /**
   * Processes every event due by now, in time order. Called on every request, so it is cheap when
   * nothing is due: one scan finds the earliest event, and until the clock reaches it (or a job is
   * added) no scan is needed. An event changes only its own job's next event (rule 8's skip reads
   * the others' state at that moment), so due events are taken from one scan, in time order.
   */
  catchUp(): void {
    const now = this.clock.now().getTime();
    if (this.world.jobs.length === this.scannedJobs && now < this.nextDueMs) return;
    const scanned = this.world.jobs.length;
    const due: Due[] = [];
    let later = Number.POSITIVE_INFINITY;
    this.world.jobs.forEach((job, index) => {
      if (job.endMs !== undefined) return;
      const at = this.nextEventAt(job);
      if (at === undefined) return;
      if (at <= now) due.push({ job, at, index });
      else later = Math.min(later, at);
    });
    // Earliest first; equal times in the order the jobs were started, as one scan per event did.
    due.sort(byTimeThenIndex);
    while (due.length > 0) {
      const { job, at, index } = due.shift()!;
      this.process(job, at);
      const nextAt = job.endMs === undefined ? this.nextEventAt(job) : undefined;
      if (nextAt === undefined) continue;
      if (nextAt > now) later = Math.min(later, nextAt);
      else {
        const next = { job, at: nextAt, index };
        const i = due.findIndex((d) => byTimeThenIndex(d, next) > 0);
        due.splice(i < 0 ? due.length : i, 0, next);
      }
    }
    this.scannedJobs = scanned;
    this.nextDueMs = later;
  }

  private nextEventAt(job: SandboxJob): number | undefined {
    const step = job.restore?.steps.find((s) => s.status === 'InProgress');
    if (step) return (step.startMs ?? job.startMs) + step.ms;
    if (!job.tasks) return job.plannedEndMs;
    const { snapshot, transfer } = job.tasks;
    if (snapshot.status === 'InProgress') {
      return (snapshot.startMs ?? job.startMs) + (job.snapshotMs ?? this.timings.snapshotMs);
    }
    if (transfer.status === 'InProgress') {
      return (transfer.startMs ?? job.startMs) + (job.transferMs ?? this.timings.transferMs);
    }
    return undefined;
  }

  private process(job: SandboxJob, at: number): void {
    if (job.restore) return this.nextRestoreStep(job.restore, job, at);
    if (!job.tasks) {
      job.endMs = at;
      return;
    }
    const { snapshot, transfer } = job.tasks;
    if (snapshot.status === 'InProgress') {
      snapshot.endMs = at;
      if (job.failSnapshot) {
        snapshot.status = 'Failed';
        // Without a snapshot there is nothing to transfer: the portal shows both phases failed.
        Object.assign(transfer, { status: 'Failed', startMs: at, endMs: at });
        this.fail(job, job.failSnapshot);
        this.finish(job, at);
        return;
      }
      snapshot.status = 'Completed';
      const earlierTransfer = this.world.jobs.some(
        (j) =>
          j !== job && sameId(j.vmResourceId, job.vmResourceId) && j.tasks?.transfer.status === 'InProgress',
      );
      if (earlierTransfer) {
        // Rule 8: one transfer per VM at a time; the running one carries this point's churn too.
        Object.assign(transfer, { status: 'Skipped', startMs: at, endMs: at });
        this.finish(job, at);
      } else {
        Object.assign(transfer, { status: 'InProgress', startMs: at });
      }
      return;
    }
    transfer.endMs = at;
    if (job.failTransfer) {
      transfer.status = 'Failed';
      this.fail(job, job.failTransfer);
      this.finish(job, at);
      return;
    }
    transfer.status = 'Completed';
    // The point is as of the snapshot; it lands in the vault only if the item still has its data there.
    const time = new Date(snapshot.endMs ?? at).toISOString();
    const item = this.itemOf(job);
    if (item) {
      const policyType = this.world.policies.get(this.world.policyKey(item.vaultKey, item.policyName))
        ?.properties.policyType;
      this.world.recoveryPoints.push({
        id: this.world.nextRecoveryPointId(snapshot.endMs ?? at),
        vaultKey: job.vaultKey,
        vmResourceId: job.vmResourceId,
        time,
        type: job.vmWasRunning ? 'AppConsistent' : 'CrashConsistent',
        ...(job.recoveryPointExpiry ? { expiry: job.recoveryPointExpiry } : {}),
        ...(typeof policyType === 'string' ? { policyType } : {}),
        // A scheduled point is kept by the policy's daily rule (recorded); on-demand ones by none.
        ...(job.isUserTriggered ? {} : { ruleName: 'Daily' }),
      });
    }
    this.finish(job, at, time);
  }

  private nextRestoreStep(restore: SandboxRestore, job: SandboxJob, at: number): void {
    const i = restore.steps.findIndex((s) => s.status === 'InProgress');
    restore.steps[i]!.status = 'Completed';
    const next = restore.steps[i + 1];
    if (next) {
      Object.assign(next, { status: 'InProgress', startMs: at });
      return;
    }
    job.endMs = at;
    restore.onDone(at);
  }

  private fail(job: SandboxJob, failure: JobFailure): void {
    job.errors.push({ ...failure });
  }

  private itemOf(job: SandboxJob): SandboxProtectedItem | undefined {
    return this.world.protectedItems.get(this.world.itemKey(job.vaultKey, job.vmResourceId));
  }

  /** Ends the job and records the outcome on the protected item, as its last backup. */
  private finish(job: SandboxJob, at: number, recoveryPointTime?: string): void {
    job.endMs = at;
    const item = this.itemOf(job);
    if (!item) return;
    item.lastBackupStatus = this.statusOf(job);
    // As recorded: the item's last backup time is the job's start.
    item.lastBackupTime = new Date(job.startMs).toISOString();
    if (recoveryPointTime) {
      item.lastRecoveryPoint = recoveryPointTime;
      if (item.state === 'IRPending') item.state = 'Protected';
    }
  }
}

interface Due {
  job: SandboxJob;
  at: number;
  index: number;
}

function byTimeThenIndex(a: Due, b: Due): number {
  return a.at - b.at || a.index - b.index;
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
