import { randomUUID } from 'node:crypto';
import type { PolicyKind, TaskStatus } from '../domain/index.js';
import type { JobFailure } from './job-errors.js';

/**
 * The sandbox's in-memory Azure: typed, so tests can look inside. Maps are keyed by lower-cased
 * names, as Azure compares them.
 */
export interface SandboxVm {
  id: string;
  vmId: string;
  name: string;
  resourceGroup: string;
  location: string;
  extendedZone?: string;
  osType: 'Windows' | 'Linux';
  osName: string;
  osVersion: string;
  vmSize: string;
  powerState: 'running' | 'deallocated' | 'stopped';
  /** Version of the installed VM agent; undefined when none is installed. Only a running VM reports it. */
  agentVersion?: string;
  /** Its OS disk's name, once a restore replaced it (`{name}_OsDisk_1` before). */
  osDiskName?: string;
}

/** A staging storage account a restore writes to (Microsoft.Storage). */
export interface SandboxStorageAccount {
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
}

/** A virtual network and its subnets' names (Microsoft.Network), for VMs a restore creates. */
export interface SandboxVnet {
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
  subnets: string[];
}

/** A managed disk a restore created, or a VM's disk a replace left behind (Microsoft.Compute/disks). */
export interface SandboxDisk {
  name: string;
  resourceGroup: string;
  location: string;
  extendedZone?: string;
  /** The VM it is attached to (its id); none for restored disks and replaced originals. */
  attachedTo?: string;
  /** The restore job that created it. */
  restoredBy?: string;
}

/** A restore job's steps (its recorded tasks), run one after the other, and what it makes at the end. */
export interface SandboxRestore {
  kind: 'AlternateLocation' | 'RestoreDisks' | 'OriginalLocation';
  steps: { name: string; ms: number; status: TaskStatus; startMs?: number }[];
  /** The job's property bag as recorded (values may be null while it starts). */
  propertyBag: Record<string, string | null>;
  /** The change to the world when the last step completes. */
  onDone: (atMs: number) => void;
}

export interface SandboxVault {
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
  /** Soft delete of backup data: AlwaysON on the vaults of the recorded 2025–2026 sessions. */
  softDelete: boolean;
  /** How long soft delete keeps deleted data: 14–180 days, a vault setting (14 in every recording). */
  softDeleteRetentionDays: number;
  /** A new vault answers `Provisioning` until its creation completes. */
  provisioning?: boolean;
}

/** A new vault's soft-delete retention (softDeleteRetentionPeriodInDays, 14 in every recording). */
export const SOFT_DELETE_DAYS = 14;
/** The range Azure allows a vault's soft-delete retention. */
export const SOFT_DELETE_DAYS_RANGE = { min: 14, max: 180 } as const;

/** An item that follows its policy: enabled, with or without a first backup. */
export function followsPolicy(i: Pick<SandboxProtectedItem, 'state'>): boolean {
  return i.state === 'Protected' || i.state === 'IRPending';
}

export interface SandboxPolicy {
  vaultKey: string;
  name: string;
  kind: PolicyKind;
  /** `properties` as Azure returns them (protectedItemsCount kept current on read). */
  properties: Record<string, unknown>;
}

export interface SandboxProtectedItem {
  vaultKey: string;
  vmResourceId: string;
  vmName: string;
  resourceGroup: string;
  containerName: string;
  itemName: string;
  policyName: string;
  /** IRPending: protected, no backup yet (as Azure answers right after enabling). */
  state: 'IRPending' | 'Protected' | 'ProtectionStopped';
  /** Soft delete: when the data was deleted; the item and its points stay for the vault's retention (state ProtectionStopped). */
  softDeletedAtMs?: number;
  /** The vault's soft-delete retention when the data was deleted (`softDeleteRetentionPeriod`). */
  softDeleteRetentionDays?: number;
  protectedItemDataId: string;
  lastBackupTime?: string;
  lastBackupStatus?: string;
  lastRecoveryPoint?: string;
}

export interface SandboxRecoveryPoint {
  id: string;
  vaultKey: string;
  vmResourceId: string;
  time: string;
  type: 'AppConsistent' | 'CrashConsistent';
  /** When the point expires (`recoveryPointProperties.expiryTime`). */
  expiry?: string;
  /** The policy's `policyType` when the point was taken (`createdWithPolicyType`). */
  policyType?: string;
  /** The policy rule that kept it ("Daily" for scheduled points, as recorded); none for on-demand. */
  ruleName?: string;
  /**
   * Held only as the snapshot (InstantRP), no vault copy (HardenedRP) yet: recorded for an Enhanced
   * (V2) point ~27.5 h old (PowerShell, TestAzureVMSourceScanRecoveryPoints.json, 2026).
   */
  snapshotOnly?: boolean;
}

export interface SandboxTask {
  status: TaskStatus;
  startMs?: number;
  endMs?: number;
}

export interface SandboxJob {
  id: string;
  activityId: string;
  vaultKey: string;
  vmName: string;
  vmResourceId: string;
  operation: 'Backup' | 'ConfigureBackup' | 'DeleteBackupData' | 'DisableBackup' | 'Undelete' | 'Restore';
  isUserTriggered: boolean;
  startMs: number;
  endMs?: number;
  /** Only Backup jobs have the two phases. */
  tasks?: { snapshot: SandboxTask; transfer: SandboxTask };
  /** Phase lengths of a backup, fixed when it starts. */
  snapshotMs?: number;
  transferMs?: number;
  /** Jobs without phases end at this time. */
  plannedEndMs?: number;
  /** How a phase of this backup will fail, decided when it starts. */
  failSnapshot?: JobFailure;
  failTransfer?: JobFailure;
  errors: JobFailure[];
  /** Whether the VM was running when the snapshot was taken (consistency of the point). */
  vmWasRunning: boolean;
  recoveryPointExpiry?: string;
  /** Jobs without phases: their property bag, as recorded (`Policy Name`, `Undelete flag`…). */
  propertyBag?: Record<string, string>;
  /** DeleteBackupData: the points deleted, for the job's property bag. */
  recoveryPointCount?: number;
  /** Restore jobs: their steps and property bag. */
  restore?: SandboxRestore;
}

export type OperationOutcome = { jobId?: string } | { error: { code: string; message: string } };

export interface SandboxOperation {
  id: string;
  startMs: number;
  /** When it completes, on the simulated clock. */
  dueMs: number;
  outcome: OperationOutcome;
  /** Runs when the operation completes (it may record a failure in `outcome`, as a part-way deletion does). */
  onDone?: () => void;
  done: boolean;
  endMs?: number;
}

export class SandboxWorld {
  readonly subscriptionId: string;
  readonly resourceGroups = new Map<string, { name: string; location: string }>();
  readonly vms = new Map<string, SandboxVm>();
  readonly vaults = new Map<string, SandboxVault>();
  readonly policies = new Map<string, SandboxPolicy>();
  readonly protectedItems = new Map<string, SandboxProtectedItem>();
  readonly recoveryPoints: SandboxRecoveryPoint[] = [];
  readonly jobs: SandboxJob[] = [];
  readonly storageAccounts = new Map<string, SandboxStorageAccount>();
  readonly vnets = new Map<string, SandboxVnet>();
  readonly disks: SandboxDisk[] = [];
  readonly operations = new Map<string, SandboxOperation>();
  /** VM ids (lower case) Azure Backup has discovered; a container refresh discovers the rest. */
  readonly discovered = new Set<string>();
  /** The effective permissions of the caller at every scope (Microsoft.Authorization/permissions). */
  permissions: { actions: string[]; notActions: string[] }[] = [{ actions: ['*'], notActions: [] }];
  /** Failures planned for a VM's next backup (by VM name, lower case). */
  readonly plannedFailures = new Map<string, 'snapshot' | 'transfer'>();
  private recoveryPointSeq = 0;
  /** When soft-deleted items were last purged (simulated ms). */
  private purgedAtMs = Number.NaN;

  constructor(subscriptionId: string) {
    this.subscriptionId = subscriptionId;
  }

  vaultKey(resourceGroup: string, vault: string): string {
    return `${resourceGroup}/${vault}`.toLowerCase();
  }

  policyKey(vaultKey: string, name: string): string {
    return `${vaultKey}/${name}`.toLowerCase();
  }

  itemKey(vaultKey: string, vmResourceId: string): string {
    return `${vaultKey}|${vmResourceId}`.toLowerCase();
  }

  vmByName(name: string): SandboxVm | undefined {
    return [...this.vms.values()].find((v) => v.name.toLowerCase() === name.toLowerCase());
  }

  vmById(id: string): SandboxVm | undefined {
    return this.vms.get(id.toLowerCase());
  }

  addVm(vm: Omit<SandboxVm, 'id'>): SandboxVm {
    const full = {
      ...vm,
      id: `/subscriptions/${this.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vm.name}`,
    };
    this.vms.set(full.id.toLowerCase(), full);
    return full;
  }

  /** A resource's id in this subscription: `…/resourceGroups/{rg}/providers/{type}/{name}`. */
  resourceId(resourceGroup: string, type: string, name: string): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
  }

  addStorageAccount(resourceGroup: string, name: string, location: string): SandboxStorageAccount {
    const id = this.resourceId(resourceGroup, 'Microsoft.Storage/storageAccounts', name);
    const account = { id, name, resourceGroup, location };
    this.storageAccounts.set(id.toLowerCase(), account);
    return account;
  }

  addVnet(resourceGroup: string, name: string, location: string, subnets: string[]): SandboxVnet {
    const id = this.resourceId(resourceGroup, 'Microsoft.Network/virtualNetworks', name);
    const vnet = { id, name, resourceGroup, location, subnets };
    this.vnets.set(id.toLowerCase(), vnet);
    return vnet;
  }

  addVault(
    resourceGroup: string,
    name: string,
    location: string,
    softDeleteRetentionDays: number = SOFT_DELETE_DAYS,
  ): SandboxVault {
    const vault = {
      id: `/subscriptions/${this.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${name}`,
      name,
      resourceGroup,
      location,
      softDelete: true,
      softDeleteRetentionDays,
    };
    this.vaults.set(this.vaultKey(resourceGroup, name), vault);
    return vault;
  }

  /** Removes a vault with its policies, items, recovery points and jobs. */
  removeVault(key: string): void {
    this.vaults.delete(key);
    for (const [k, p] of this.policies) if (p.vaultKey === key) this.policies.delete(k);
    for (const [k, i] of this.protectedItems) if (i.vaultKey === key) this.protectedItems.delete(k);
    this.removeWhere(this.recoveryPoints, (rp) => rp.vaultKey === key);
    this.removeWhere(this.jobs, (j) => j.vaultKey === key);
  }

  /** Removes a resource group with its VMs and vaults (callers check that the vaults may go). */
  removeResourceGroup(name: string): void {
    const key = name.toLowerCase();
    this.resourceGroups.delete(key);
    for (const [id, vm] of this.vms) {
      if (vm.resourceGroup.toLowerCase() === key) {
        this.vms.delete(id);
        this.discovered.delete(id);
      }
    }
    for (const [vk, v] of this.vaults) if (v.resourceGroup.toLowerCase() === key) this.removeVault(vk);
    this.removeRestoreResources(key);
  }

  /** A part-way deletion: everything of the group but one vault (which keeps the group). */
  removeResourceGroupExcept(name: string, keptVaultKey: string): void {
    const key = name.toLowerCase();
    for (const [id, vm] of this.vms) {
      if (vm.resourceGroup.toLowerCase() === key) {
        this.vms.delete(id);
        this.discovered.delete(id);
      }
    }
    for (const [vk, v] of this.vaults) {
      if (v.resourceGroup.toLowerCase() === key && vk !== keptVaultKey) this.removeVault(vk);
    }
    this.removeRestoreResources(key);
  }

  /** A group's storage accounts, virtual networks and disks. */
  private removeRestoreResources(groupKey: string): void {
    for (const map of [this.storageAccounts, this.vnets]) {
      for (const [id, r] of map) if (r.resourceGroup.toLowerCase() === groupKey) map.delete(id);
    }
    this.removeWhere(this.disks, (d) => d.resourceGroup.toLowerCase() === groupKey);
  }

  /** Recovery point ids shaped like Azure's (14 digits): the snapshot's second, then a sequence number. */
  nextRecoveryPointId(atMs: number): string {
    this.recoveryPointSeq += 1;
    return String(
      10_000_000_000_000 + (Math.floor(atMs / 1000) % 1_000_000_000) * 1000 + (this.recoveryPointSeq % 1000),
    );
  }

  /**
   * The protected item a container/item name pair designates: names compared case-insensitively,
   * and the container's `iaasvmcontainer;` prefix optional (clients send both forms).
   */
  findItem(vaultKey: string, containerName: string, itemName: string): SandboxProtectedItem | undefined {
    const wanted = itemName.toLowerCase();
    const container = containerName.toLowerCase();
    return [...this.protectedItems.values()].find(
      (i) =>
        i.vaultKey === vaultKey &&
        i.itemName.toLowerCase() === wanted &&
        container.endsWith(`;${i.resourceGroup.toLowerCase()};${i.vmName.toLowerCase()}`),
    );
  }

  /**
   * Items with backup data in the vault that is not soft-deleted (protected, or stopped with data
   * kept): a vault with any cannot go. Soft-deleted items do not block it: in the recorded session
   * the vault was deleted and itself kept as a deleted vault until they were purged.
   */
  protectedCount(vaultKey: string): number {
    return [...this.protectedItems.values()].filter(
      (i) => i.vaultKey === vaultKey && i.softDeletedAtMs === undefined,
    ).length;
  }

  /** Soft-deleted items (and their points) whose retention is over are purged. */
  purgeSoftDeleted(nowMs: number): void {
    // Called on every request: nothing new can expire while the clock stands still (the demo's
    // runs, the tests' and benchmarks' is stepped by hand).
    if (nowMs === this.purgedAtMs) return;
    this.purgedAtMs = nowMs;
    for (const [k, i] of this.protectedItems) {
      if (i.softDeletedAtMs === undefined || nowMs < purgeTimeMs(i)) continue;
      this.removeItem(k, i);
    }
  }

  /** An item goes with its recovery points. */
  removeItem(key: string, item: SandboxProtectedItem): void {
    this.protectedItems.delete(key);
    this.removeWhere(
      this.recoveryPoints,
      (rp) =>
        rp.vaultKey === item.vaultKey && rp.vmResourceId.toLowerCase() === item.vmResourceId.toLowerCase(),
    );
  }

  private removeWhere<T>(list: T[], drop: (x: T) => boolean): void {
    for (let i = list.length - 1; i >= 0; i--) if (drop(list[i]!)) list.splice(i, 1);
  }
}

/** When a soft-deleted item's data goes: its deletion plus the retention its vault had then. */
export function purgeTimeMs(i: SandboxProtectedItem): number {
  return (i.softDeletedAtMs ?? 0) + (i.softDeleteRetentionDays ?? SOFT_DELETE_DAYS) * 86_400_000;
}

/** A job record with fresh ids; the job engine and the seeded history both build jobs with it. */
export function newSandboxJob(
  operation: SandboxJob['operation'],
  vaultKey: string,
  vm: { name: string; id: string },
  startMs: number,
  rest: Partial<SandboxJob> = {},
): SandboxJob {
  return {
    id: randomUUID(),
    activityId: randomUUID(),
    vaultKey,
    vmName: vm.name,
    vmResourceId: vm.id,
    operation,
    isUserTriggered: true,
    startMs,
    errors: [],
    vmWasRunning: false,
    ...rest,
  };
}
