import type {
  AcceptedOperation,
  AcceptedOutcome,
  BackupJob,
  BackupNowResult,
  EnableProtectionResult,
  JobFilter,
  Policy,
  PolicySpec,
  RecoveryPoint,
  ResourceGroupSummary,
  RestoreInput,
  RestoreResult,
  RetainRequest,
  OperationWatch,
  StopProtectionResult,
  Vault,
  VmStatus,
} from '../domain/index.js';

/** Which vault a call is about; omitted parts come from configuration. */
export interface VaultTarget {
  vault?: string;
  resourceGroup?: string;
}

/**
 * Everything the portal's Azure Backup flow does for VMs, in domain terms. The one implementation
 * (AzureBackupService) talks to Azure — or the sandbox — through the official SDK clients; every
 * failure is an AppError with a stable code.
 */
export interface BackupService {
  listVms(target?: VaultTarget): Promise<{ vault: Vault; vms: VmStatus[] }>;
  getVm(name: string, target?: VaultTarget): Promise<VmStatus>;

  listVaults(): Promise<Vault[]>;
  getVault(target?: VaultTarget): Promise<Vault>;
  createVault(input: {
    name: string;
    location: string;
    resourceGroup?: string;
  }): Promise<{ vault: Vault; created: boolean }>;

  listPolicies(target?: VaultTarget): Promise<Policy[]>;
  getPolicy(name: string, target?: VaultTarget): Promise<Policy>;
  createPolicy(spec: PolicySpec, target?: VaultTarget): Promise<Policy>;

  enableProtection(input: { vm: string; policy?: string } & VaultTarget): Promise<EnableProtectionResult>;
  backupNow(input: { vm: string; retain?: RetainRequest } & VaultTarget): Promise<BackupNowResult>;

  listJobs(filter?: JobFilter, target?: VaultTarget): Promise<BackupJob[]>;
  getJob(id: string, target?: VaultTarget): Promise<BackupJob>;
  listRecoveryPoints(vm: string, target?: VaultTarget): Promise<RecoveryPoint[]>;

  /**
   * Restores a VM from a recovery point as a new VM, as disks, or (destructive: behind approval in
   * chat) by replacing its disks; checks the point, targets and staging account first, and returns
   * the Restore job Azure started.
   */
  restore(input: RestoreInput & VaultTarget): Promise<RestoreResult>;

  /** Stop backup keeping the data, or (destructive: behind approval in chat) deleting it. */
  stopProtection(
    input: { vm: string; deleteData: boolean } & VaultTarget,
    watch?: OperationWatch,
  ): Promise<StopProtectionResult>;
  describeResourceGroup(name: string): Promise<ResourceGroupSummary>;
  /** Destructive: behind approval in chat. */
  deleteResourceGroup(name: string, watch?: OperationWatch): Promise<void>;
  /** One look at an operation accepted earlier (by this process or a dead one). */
  followAccepted(op: AcceptedOperation): Promise<AcceptedOutcome>;
}
