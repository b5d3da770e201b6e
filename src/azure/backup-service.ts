import type {
  AcceptedOperation,
  AppError,
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

/** A vault's default restore targets (as ids), or the AppError a restore would answer with. */
export interface RestoreTargets {
  stagingAccount: string | AppError;
  subnet: string | AppError;
}

/** Which vault a call is about; omitted parts come from configuration. */
export interface VaultTarget {
  vault?: string;
  resourceGroup?: string;
  /**
   * The vault's subscription, by id or display name, among the configured ones. Left out: the one
   * whose vaults include the named vault, else the VM's own, else the first.
   */
  subscription?: string;
}

/** VMs of every vault of every configured subscription, each shown against the vault protecting it. */
export interface FleetVmList {
  vaults: Vault[];
  vms: VmStatus[];
}

/**
 * Everything the portal's Azure Backup flow does for VMs, in domain terms: the one facade the rest
 * of the bot uses. SubscriptionFleet routes each call to the AzureBackupService of its subscription
 * (one per configured subscription, each on the official SDK clients with its own request
 * scheduler); every failure is an AppError with a stable code.
 */
export interface BackupService {
  listVms(target?: VaultTarget): Promise<{ vault: Vault; vms: VmStatus[] }>;
  getVm(name: string, target?: VaultTarget): Promise<VmStatus>;

  /** Every vault of every configured subscription. */
  listVaults(): Promise<Vault[]>;
  /** "list vms across all vaults": every configured subscription's VMs and vaults. */
  listVmsEverywhere(): Promise<FleetVmList>;
  getVault(target?: VaultTarget): Promise<Vault>;
  /** In the subscription named (id or display name), else the first configured one. */
  createVault(input: {
    name: string;
    location: string;
    resourceGroup?: string;
    subscription?: string;
  }): Promise<{ vault: Vault; created: boolean }>;

  listPolicies(target?: VaultTarget): Promise<Policy[]>;
  getPolicy(name: string, target?: VaultTarget): Promise<Policy>;
  createPolicy(spec: PolicySpec, target?: VaultTarget): Promise<Policy>;

  enableProtection(input: { vm: string; policy?: string } & VaultTarget): Promise<EnableProtectionResult>;
  backupNow(input: { vm: string; retain?: RetainRequest } & VaultTarget): Promise<BackupNowResult>;

  listJobs(filter?: JobFilter, target?: VaultTarget): Promise<BackupJob[]>;
  /** "status of jobs across all vaults": the newest jobs of every vault of every subscription. */
  listJobsEverywhere(filter?: JobFilter): Promise<BackupJob[]>;
  getJob(id: string, target?: VaultTarget): Promise<BackupJob>;
  listRecoveryPoints(vm: string, target?: VaultTarget): Promise<RecoveryPoint[]>;

  /**
   * Restores a VM from a recovery point as a new VM, as disks, or (destructive: behind approval in
   * chat) by replacing its disks; checks the point, targets and staging account first, and returns
   * the Restore job Azure started.
   */
  /** `watch`: told when Azure accepts the restore, before it is followed. */
  restore(input: RestoreInput & VaultTarget, watch?: OperationWatch): Promise<RestoreResult>;
  /** What a restore from the vault would use by default (read-only: check:azure). */
  restoreTargets(target?: VaultTarget): Promise<RestoreTargets>;

  /** Stop backup keeping the data, or (destructive: behind approval in chat) deleting it. */
  stopProtection(
    input: { vm: string; deleteData: boolean } & VaultTarget,
    watch?: OperationWatch,
  ): Promise<StopProtectionResult>;
  /**
   * A resource group of the subscription named (id or display name); left out, of the one
   * configured subscription that has a group of that name.
   */
  describeResourceGroup(name: string, subscription?: string): Promise<ResourceGroupSummary>;
  /** Destructive: behind approval in chat. The subscription is found as for describeResourceGroup. */
  deleteResourceGroup(name: string, watch?: OperationWatch, subscription?: string): Promise<void>;
  /** One look at an operation accepted earlier (by this process or a dead one). */
  followAccepted(op: AcceptedOperation): Promise<AcceptedOutcome>;
}
