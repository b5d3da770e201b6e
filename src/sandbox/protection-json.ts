import type { SandboxContext } from './sandbox-context.js';
import type { SandboxProtectedItem, SandboxRecoveryPoint, SandboxVault, SandboxVm } from './world.js';
import { followsPolicy, purgeTimeMs } from './world.js';

/**
 * Azure Backup's JSON for Azure VMs: protectable items (BackupProtectableItems_List_IaasVM.json),
 * protected items (ProtectedItems_Get_IaasVM.json) and recovery points (RecoveryPoints_List_IaasVM.json;
 * `recoveryPointProperties` and `createdWithPolicyType` as PowerShell's 2026 record reads them).
 */
// Azure names containers and items with the resource group and VM in lower case, whatever their
// case (PowerShell 2025: VM `psNewVM2` -> `…;psnewvm2`), while ids of the VM keep theirs.
export const containerNameOf = (rg: string, vm: string): string =>
  `IaasVMContainer;iaasvmcontainerv2;${rg.toLowerCase()};${vm.toLowerCase()}`;
export const itemNameOf = (rg: string, vm: string): string =>
  `VM;iaasvmcontainerv2;${rg.toLowerCase()};${vm.toLowerCase()}`;

export function protectableItemJson(vault: SandboxVault, vm: SandboxVm): Record<string, unknown> {
  const container = containerNameOf(vm.resourceGroup, vm.name);
  const base = `iaasvmcontainerv2;${vm.resourceGroup.toLowerCase()};${vm.name.toLowerCase()}`;
  // As recorded: the id ends with `vm;…` in lower case; the name is not the protected item's name.
  return {
    id: `${vault.id}/backupFabrics/Azure/protectionContainers/${container}/protectableItems/vm;${base}`,
    name: base,
    type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectableItems',
    properties: {
      virtualMachineId: vm.id,
      virtualMachineVersion: 'Compute',
      resourceGroup: vm.resourceGroup,
      backupManagementType: 'AzureIaasVM',
      protectableItemType: 'Microsoft.Compute/virtualMachines',
      friendlyName: vm.name,
      protectionState: 'NotProtected',
    },
  };
}

/** Azure's `lastBackupTime` of an item with no backup yet (recorded). */
export const NO_BACKUP_YET_TIME = '2001-01-01T00:00:00Z';

/**
 * A protected item as recorded (test_backup_scenario, test_backup_softdelete): IRPending with
 * `lastBackupStatus: ""` and the 2001 placeholder until the first backup; a stopped item has empty
 * `policyId` and `policyName`; a soft-deleted one stays ProtectionStopped with the deferred-delete fields.
 */
export function itemJson(
  ctx: SandboxContext,
  vault: SandboxVault,
  i: SandboxProtectedItem,
): Record<string, unknown> {
  const policy = ctx.world.policies.get(ctx.world.policyKey(i.vaultKey, i.policyName));
  const healthy = i.lastBackupStatus !== 'Failed';
  const active = followsPolicy(i);
  const softDeleted = i.softDeletedAtMs !== undefined;
  return {
    id: `${vault.id}/backupFabrics/Azure/protectionContainers/${i.containerName}/protectedItems/${i.itemName}`,
    name: i.itemName,
    type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems',
    properties: {
      friendlyName: i.vmName,
      virtualMachineId: i.vmResourceId,
      protectionStatus: healthy ? 'Healthy' : 'Unhealthy',
      protectionState: i.state,
      healthStatus: healthy ? 'Passed' : 'ActionRequired',
      lastBackupStatus: i.lastBackupStatus ?? '',
      lastBackupTime: i.lastBackupTime ?? NO_BACKUP_YET_TIME,
      protectedItemDataId: i.protectedItemDataId,
      // The policy's own policyType: V1/V2 for policies that state it (CLI 2026), "" for a vault's
      // older DefaultPolicy that does not (PowerShell 2025); kept after the item stops.
      policyType: typeof policy?.properties.policyType === 'string' ? policy.properties.policyType : '',
      protectedItemType: 'Microsoft.Compute/virtualMachines',
      backupManagementType: 'AzureIaasVM',
      workloadType: 'VM',
      containerName: i.containerName.split(';').slice(1).join(';'),
      sourceResourceId: i.vmResourceId,
      // A stopped item keeps its data but no longer follows a policy: both fields are "".
      policyId: active ? `${vault.id}/backupPolicies/${i.policyName}` : '',
      policyName: active ? i.policyName : '',
      ...(i.lastRecoveryPoint ? { lastRecoveryPoint: i.lastRecoveryPoint } : {}),
      ...(softDeleted ? softDeleteFields(ctx, i) : {}),
      // Absolute, on Azure's own host, as recorded (api-version 2025-02-01).
      vaultId: `https://management.azure.com${vault.id}`,
      isArchiveEnabled: false,
      // The vault's retention once the data is soft-deleted, 0 before (CLI 2026, PowerShell 2025).
      softDeleteRetentionPeriod: softDeleted
        ? (i.softDeleteRetentionDays ?? vault.softDeleteRetentionDays)
        : 0,
    },
  };
}

/** `deferredDeleteTimeInUTC` is when the data was deleted; the time left is a .NET TimeSpan string. */
function softDeleteFields(ctx: SandboxContext, i: SandboxProtectedItem): Record<string, unknown> {
  const left = Math.max(0, purgeTimeMs(i) - ctx.clock.now().getTime());
  return {
    deferredDeleteTimeInUTC: new Date(i.softDeletedAtMs!).toISOString(),
    isScheduledForDeferredDelete: true,
    deferredDeleteTimeRemaining: timeSpan(left),
  };
}

/** .NET TimeSpan text, `d.hh:mm:ss.fffffff`, as Azure writes `deferredDeleteTimeRemaining`. */
export function timeSpan(ms: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const h = Math.floor((totalSeconds % 86_400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const sec = totalSeconds % 60;
  const fraction = String((ms % 1000) * 10_000).padStart(7, '0');
  return `${days > 0 ? `${days}.` : ''}${two(h)}:${two(m)}:${two(sec)}.${fraction}`;
}

export function recoveryPointJson(
  vault: SandboxVault,
  item: SandboxProtectedItem,
  rp: SandboxRecoveryPoint,
  vm: SandboxVm | undefined,
): Record<string, unknown> {
  return {
    id: `${vault.id}/backupFabrics/Azure/protectionContainers/${item.containerName}/protectedItems/${item.itemName}/recoveryPoints/${rp.id}`,
    name: rp.id,
    type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/recoveryPoints',
    properties: {
      objectType: 'IaasVMRecoveryPoint',
      recoveryPointType: rp.type,
      recoveryPointTime: rp.time,
      recoveryPointAdditionalInfo: '',
      sourceVMStorageType: 'NormalStorage',
      isSourceVMEncrypted: false,
      isInstantIlrSessionActive: false,
      // A point still held only as its snapshot lists the InstantRP tier alone (PowerShell 2026).
      recoveryPointTierDetails: [
        { type: 'InstantRP', status: 'Valid' },
        ...(rp.snapshotOnly ? [] : [{ type: 'HardenedRP', status: 'Valid' }]),
      ],
      isManagedVirtualMachine: true,
      virtualMachineSize: vm?.vmSize ?? 'Standard_D2s_v3',
      originalStorageAccountOption: false,
      ...(vm ? { osType: vm.osType } : {}),
      ...(vm?.extendedZone ? { extendedLocation: { type: 'EdgeZone', name: vm.extendedZone } } : {}),
      ...(rp.expiry
        ? {
            recoveryPointProperties: {
              expiryTime: rp.expiry,
              ...(rp.ruleName ? { ruleName: rp.ruleName } : {}),
            },
          }
        : {}),
      ...(rp.policyType ? { createdWithPolicyType: rp.policyType } : {}),
    },
  };
}
