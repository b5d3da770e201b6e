import { randomUUID } from 'node:crypto';
import type { JobStatus } from '../domain/index.js';
import { MIN_WINDOWS_AGENT, compareVersions, deriveJobStatus } from '../domain/index.js';
import type { SimulatedClock } from './simulated-clock.js';
import type { SandboxJob, SandboxProtectedItem, SandboxVm, SandboxWorld } from './world.js';

export interface JobTimings {
  snapshotMs: number;
  transferMs: number;
  /** ConfigureBackup, DisableBackup and DeleteBackupData jobs. */
  shortJobMs: number;
}

const AGENT_FAILURE = {
  code: 'UserErrorGuestAgentStatusUnavailable',
  message: 'VM Agent unable to communicate with Azure Backup.',
  recommendation:
    'Ensure the VM agent is installed, up to date (Windows: 2.6.1198.718 or later) and running, then retry the operation.',
};
const SNAPSHOT_FAILURE = {
  code: 'ExtensionSnapshotFailedNoNetwork',
  message: 'Snapshot operation failed due to no network connectivity on the virtual machine.',
  recommendation: 'Ensure the VM has outbound network access to Azure, then retry the operation.',
};
const TRANSFER_FAILURE = {
  code: 'UserErrorTransferDataToVaultFailed',
  message:
    'Transferring the snapshot to the vault failed. The snapshot is kept and the next backup retries the transfer.',
  recommendation: 'No action needed if the next scheduled backup succeeds; otherwise contact support.',
};

/**
 * Moves jobs through their phases on the simulated clock, one event at a time in time order:
 * Take Snapshot → Transfer data to vault (or Skipped when an earlier backup of the same VM is still
 * transferring, DESIGN.md rule 8) → recovery point.
 */
export class JobEngine {
  private readonly durations = new Map<string, { snapshotMs: number; transferMs: number }>();

  constructor(
    private readonly world: SandboxWorld,
    private readonly clock: SimulatedClock,
    private readonly timings: JobTimings,
  ) {
    clock.onAdvance(() => this.catchUp());
  }

  /** The backup of this VM still taking its snapshot, if any (rule 6: one snapshot at a time). */
  snapshotInProgress(vmResourceId: string): SandboxJob | undefined {
    this.catchUp();
    return this.world.jobs.find(
      (j) =>
        j.vmResourceId.toLowerCase() === vmResourceId.toLowerCase() &&
        j.tasks?.snapshot.status === 'InProgress',
    );
  }

  startBackup(item: SandboxProtectedItem, vm: SandboxVm, expiry: string, isUserTriggered = true): SandboxJob {
    const now = this.clock.now().getTime();
    const planned = this.world.plannedFailures.get(vm.name.toLowerCase());
    this.world.plannedFailures.delete(vm.name.toLowerCase());
    const agentProblem =
      vm.powerState === 'running' &&
      (!vm.agentVersion ||
        (vm.osType === 'Windows' && compareVersions(vm.agentVersion, MIN_WINDOWS_AGENT) < 0));
    const job: SandboxJob = {
      id: randomUUID(),
      vaultKey: item.vaultKey,
      vmName: vm.name,
      vmResourceId: vm.id,
      operation: 'Backup',
      isUserTriggered,
      startMs: now,
      tasks: { snapshot: { status: 'InProgress', startMs: now }, transfer: { status: 'NotStarted' } },
      ...(agentProblem
        ? { failSnapshot: AGENT_FAILURE }
        : planned === 'snapshot'
          ? { failSnapshot: SNAPSHOT_FAILURE }
          : {}),
      ...(planned === 'transfer' ? { failTransfer: TRANSFER_FAILURE } : {}),
      errors: [],
      vmWasRunning: vm.powerState === 'running',
      recoveryPointExpiry: expiry,
    };
    this.durations.set(job.id, { snapshotMs: this.timings.snapshotMs, transferMs: this.timings.transferMs });
    this.world.jobs.push(job);
    return job;
  }

  startShortJob(
    operation: SandboxJob['operation'],
    vaultKey: string,
    vm: { name: string; id: string },
  ): SandboxJob {
    const now = this.clock.now().getTime();
    const job: SandboxJob = {
      id: randomUUID(),
      vaultKey,
      vmName: vm.name,
      vmResourceId: vm.id,
      operation,
      isUserTriggered: true,
      startMs: now,
      plannedEndMs: now + this.timings.shortJobMs,
      errors: [],
      vmWasRunning: false,
    };
    this.world.jobs.push(job);
    return job;
  }

  statusOf(job: SandboxJob): JobStatus {
    if (job.tasks) return deriveJobStatus(job.tasks.snapshot.status, job.tasks.transfer.status);
    return job.endMs === undefined ? 'InProgress' : 'Completed';
  }

  /** Processes every event due by now, in time order. */
  catchUp(): void {
    const now = this.clock.now().getTime();
    for (;;) {
      let next: { job: SandboxJob; at: number } | undefined;
      for (const job of this.world.jobs) {
        if (job.endMs !== undefined) continue;
        const at = this.nextEventAt(job);
        if (at !== undefined && (!next || at < next.at)) next = { job, at };
      }
      if (!next || next.at > now) return;
      this.process(next.job, next.at);
    }
  }

  private nextEventAt(job: SandboxJob): number | undefined {
    if (!job.tasks) return job.plannedEndMs;
    const d = this.durations.get(job.id) ?? {
      snapshotMs: this.timings.snapshotMs,
      transferMs: this.timings.transferMs,
    };
    const { snapshot, transfer } = job.tasks;
    if (snapshot.status === 'InProgress') return (snapshot.startMs ?? job.startMs) + d.snapshotMs;
    if (transfer.status === 'InProgress') return (transfer.startMs ?? job.startMs) + d.transferMs;
    return undefined;
  }

  private process(job: SandboxJob, at: number): void {
    if (!job.tasks) {
      job.endMs = at;
      return;
    }
    const { snapshot, transfer } = job.tasks;
    if (snapshot.status === 'InProgress') {
      snapshot.endMs = at;
      if (job.failSnapshot) {
        snapshot.status = 'Failed';
        transfer.status = 'Failed';
        job.errors.push({
          code: job.failSnapshot.code,
          message: job.failSnapshot.message,
          recommendations: [job.failSnapshot.recommendation],
        });
        this.finish(job, at, 'Failed');
        return;
      }
      snapshot.status = 'Completed';
      const earlierTransfer = this.world.jobs.some(
        (j) => j !== job && j.vmResourceId === job.vmResourceId && j.tasks?.transfer.status === 'InProgress',
      );
      if (earlierTransfer) {
        transfer.status = 'Skipped';
        this.finish(job, at, 'Completed');
      } else {
        transfer.status = 'InProgress';
        transfer.startMs = at;
      }
      return;
    }
    transfer.endMs = at;
    if (job.failTransfer) {
      transfer.status = 'Failed';
      job.errors.push({
        code: job.failTransfer.code,
        message: job.failTransfer.message,
        recommendations: [job.failTransfer.recommendation],
      });
      this.finish(job, at, 'CompletedWithWarnings');
      return;
    }
    transfer.status = 'Completed';
    const time = new Date(snapshot.endMs ?? at).toISOString();
    this.world.recoveryPoints.push({
      id: String(10_000_000_000_000 + Math.floor(Math.random() * 89_999_999_999_999)),
      vaultKey: job.vaultKey,
      vmResourceId: job.vmResourceId,
      time,
      type: job.vmWasRunning ? 'AppConsistent' : 'CrashConsistent',
      expiry: job.recoveryPointExpiry,
    });
    this.finish(job, at, 'Completed', time);
  }

  private finish(job: SandboxJob, at: number, status: string, recoveryPointTime?: string): void {
    job.endMs = at;
    const item = this.world.protectedItems.get(this.world.itemKey(job.vaultKey, job.vmResourceId));
    if (!item) return;
    item.lastBackupStatus = status;
    item.lastBackupTime = new Date(job.tasks?.snapshot.endMs ?? at).toISOString();
    if (recoveryPointTime) item.lastRecoveryPoint = recoveryPointTime;
  }
}
