import type { SandboxContext } from './sandbox-context.js';
import type { SandboxProtectedItem, SandboxRecoveryPoint, SandboxVault, SandboxVm } from './world.js';

/**
 * Azure Backup's JSON for Azure VMs: protectable items (BackupProtectableItems_List_IaasVM.json),
 * protected items (ProtectedItems_Get_IaasVM.json) and recovery points (RecoveryPoints_List_IaasVM.json).
 */
export const containerNameOf = (rg: string, vm: string): string =>
  `IaasVMContainer;iaasvmcontainerv2;${rg};${vm}`;
export const itemNameOf = (rg: string, vm: string): string => `VM;iaasvmcontainerv2;${rg};${vm}`;

export function protectableItemJson(vault: SandboxVault, vm: SandboxVm): Record<string, unknown> {
  const container = containerNameOf(vm.resourceGroup, vm.name);
  const name = itemNameOf(vm.resourceGroup, vm.name);
  return {
    id: `${vault.id}/backupFabrics/Azure/protectionContainers/${container}/protectableItems/${name}`,
    name,
    type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectableItems',
    properties: {
      friendlyName: vm.name,
      virtualMachineId: vm.id,
      protectionState: 'NotProtected',
      protectableItemType: 'Microsoft.Compute/virtualMachines',
      backupManagementType: 'AzureIaasVM',
      workloadType: 'VM',
    },
  };
}

export function itemJson(
  ctx: SandboxContext,
  vault: SandboxVault,
  i: SandboxProtectedItem,
): Record<string, unknown> {
  const policy = ctx.world.policies.get(ctx.world.policyKey(i.vaultKey, i.policyName));
  const healthy = i.lastBackupStatus !== 'Failed';
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
      ...(i.lastBackupTime ? { lastBackupTime: i.lastBackupTime } : {}),
      protectedItemDataId: i.protectedItemDataId,
      protectedItemType: 'Microsoft.Compute/virtualMachines',
      backupManagementType: 'AzureIaasVM',
      workloadType: 'VM',
      containerName: i.containerName.split(';').slice(1).join(';'),
      sourceResourceId: i.vmResourceId,
      // A stopped item keeps its data but no longer follows a policy.
      policyId: i.state === 'Protected' ? `${vault.id}/backupPolicies/${i.policyName}` : '',
      ...(i.state === 'Protected' ? { policyName: i.policyName } : {}),
      ...(policy && i.state === 'Protected' ? { policyType: policy.kind === 'Enhanced' ? 'V2' : 'V1' } : {}),
      lastRecoveryPoint: i.lastRecoveryPoint ?? null,
    },
  };
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
      recoveryPointTierDetails: [
        { type: 'InstantRP', status: 'Valid' },
        { type: 'HardenedRP', status: 'Valid' },
      ],
      isManagedVirtualMachine: true,
      virtualMachineSize: vm?.vmSize ?? 'Standard_D2s_v3',
      originalStorageAccountOption: false,
      ...(vm ? { osType: vm.osType } : {}),
      // An on-demand point is kept until the date asked for.
      ...(rp.expiry ? { recoveryPointProperties: { expiryTime: rp.expiry } } : {}),
      ...(vm?.extendedZone ? { extendedLocation: { type: 'EdgeZone', name: vm.extendedZone } } : {}),
    },
  };
}
