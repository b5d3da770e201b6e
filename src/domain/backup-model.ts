import type { JobStatus, TaskStatus } from './job-status.js';
import type { PolicyDefinition } from './policy.js';
import type { RecoveryPoint, RestoreJobFacts, RestoreKind } from './restore.js';
import type { AgentCheck, Eligibility, ExpectedConsistency, VaultRef, VmFacts } from './vm.js';

/**
 * What the backup service returns: plain data, the same whether it came from Azure or the
 * sandbox, and what views are built from.
 */
export interface Vault extends VaultRef {
  id: string;
  provisioningState?: string;
  /** Soft delete of backup data: deleted data is kept this many days and can be undeleted. */
  softDelete?: { enabled: boolean; retentionDays: number };
}

export type ProtectionState =
  'Protected' | 'NotProtected' | 'ProtectionStopped' | 'ProtectionPaused' | 'IRPending' | 'Invalid';

export interface VmProtection {
  state: ProtectionState;
  vaultName?: string;
  policyName?: string;
  policyKind?: 'Enhanced' | 'Standard';
  /** Undefined before the first backup (Azure sends "" and a 2001-01-01 placeholder time). */
  lastBackupStatus?: string;
  lastBackupTime?: string;
  lastRecoveryPoint?: string;
  /** Stopped with its data deleted under soft delete: the data is kept until `purgeAt`, and can be undeleted until then. */
  softDeleted?: { deletedAt?: string; purgeAt?: string };
}

export interface VmStatus extends VmFacts {
  protection: VmProtection;
  eligibility: Eligibility;
  agent: AgentCheck;
}

export interface Policy extends PolicyDefinition {
  id: string;
  protectedItemsCount: number;
  /** Enhanced policies keep restore point collections in their own resource group (rule 3). */
  restorePointResourceGroupPrefix?: string;
}

/** A task of a job's details, as Azure names it ("Transfer data from vault"…). */
export interface JobTask {
  name: string;
  status: TaskStatus;
  startTime?: string;
  endTime?: string;
  durationMs?: number;
}

export interface JobPhase extends JobTask {
  name: 'Take Snapshot' | 'Transfer data to vault';
}

export interface JobError {
  code: string;
  /** Azure's own words for it, when it gave any. */
  message?: string;
  recommendations: string[];
}

export interface BackupJob {
  id: string;
  vaultName: string;
  /** The vault's resource group, from the job's id: with several subscriptions, where to read it again. */
  vaultResourceGroup?: string;
  /** The vault's subscription id, from the job's id: a job card's buttons name it. */
  vaultSubscription?: string;
  vmName: string;
  operation: string;
  /** Azure's status (the portal shows the same); the phases only explain it (rule 7). */
  status: JobStatus;
  /** The status field exactly as Azure sent it. */
  azureStatus: string;
  isUserTriggered?: boolean;
  startTime?: string;
  endTime?: string;
  durationMs?: number;
  /** Present only on job details (a job list carries no task list). */
  phases?: { snapshot: JobPhase; transfer: JobPhase };
  /** Other jobs' tasks (a restore's), from the details; absent for backups, which have `phases`. */
  tasks?: JobTask[];
  /** A Restore job: what its property bag says about what it restores, and where. */
  restore?: RestoreJobFacts;
  errors: JobError[];
}

export interface EnableProtectionResult {
  vm: VmStatus;
  policy: Policy;
  /** The ConfigureBackup job Azure started. */
  jobId?: string;
  alreadyProtected: boolean;
  /** Its soft-deleted backup data was undeleted first (as az CLI requires). */
  undeleted?: boolean;
  consistency: ExpectedConsistency;
}

export interface BackupNowResult {
  vm: VmStatus;
  job: BackupJob;
  /** Last day the recovery point is kept (YYYY-MM-DD). */
  retainUntil: string;
  consistency: ExpectedConsistency;
}

export interface StopProtectionResult {
  vmName: string;
  deletedData: boolean;
  jobId?: string;
  /** Soft delete: the deleted data is kept, and can be undeleted, until this time. */
  softDeletedUntil?: string;
}

/**
 * A destructive operation Azure has accepted (202) and runs on its own: recorded before it is
 * followed, so that a process that dies while following it can be succeeded by one that follows it
 * to its real outcome instead of guessing.
 */
export type AcceptedOperation =
  | {
      kind: 'backup-operation';
      vault: string;
      resourceGroup: string;
      operationId: string;
      /** The operation starts a job that is the action's real course (a restore): followed on its card. */
      startsJob?: boolean;
    }
  /** `resumeFrom`: the SDK poller's own serialised state. */
  | { kind: 'resource-group-deletion'; resourceGroup: string; resumeFrom: string };

/** Told when Azure accepts a destructive operation, before it is followed. */
export interface OperationWatch {
  onAccepted(op: AcceptedOperation): Promise<void>;
}

/** Where an accepted operation is now. */
export type AcceptedOutcome =
  | { state: 'running' }
  /** `jobId`: the job the operation started, when it started one (a restore's trigger does). */
  | { state: 'succeeded'; jobId?: string }
  | { state: 'failed'; message: string; code: string };

export interface ResourceGroupSummary {
  name: string;
  location: string;
  resources: { name: string; type: string }[];
  /**
   * The group's Recovery Services vaults and the VMs whose backup data they hold: data that is not
   * soft-deleted blocks the vault's deletion, and so the group's (which then fails part-way).
   */
  vaults: {
    name: string;
    blockingItems: string[];
    softDeletedItems: string[];
    /** When the last of the soft-deleted data is purged (and the deleted vault with it). */
    softDeletedUntil?: string;
  }[];
}

export interface RestoreResult {
  kind: RestoreKind;
  vmName: string;
  point: RecoveryPoint;
  job: BackupJob;
  /** Where the result lands: the new VM's or the disks' resource group, the staging account. */
  targetResourceGroup?: string;
  targetVmName?: string;
  subnetId?: string;
  storageAccountId: string;
  /** The Extended Zone the request names (replace disks of an Extended Zone VM's point). */
  extendedZone?: string;
}

export interface JobFilter {
  status?: JobStatus;
  vmName?: string;
  operation?: 'Backup' | 'ConfigureBackup' | 'DeleteBackupData' | 'DisableBackup' | 'Restore';
  since?: Date;
  until?: Date;
  /** At most this many, newest first. */
  limit?: number;
}
