import type { IaasVMRestoreRequest } from '@azure/arm-recoveryservicesbackup';
import type { RestoreKind } from '../domain/index.js';
import { AppError, fact } from '../domain/index.js';

/** What a restore request names, every resource by its full id. */
export interface RestorePlan {
  kind: RestoreKind;
  recoveryPointId: string;
  sourceResourceId: string;
  storageAccountId: string;
  /** The vault's region. */
  region: string;
  /** AlternateLocation and RestoreDisks (managed disks, instant restore): where the result goes. */
  targetResourceGroupId?: string;
  /** AlternateLocation. */
  targetVirtualMachineId?: string;
  subnetId?: string;
  /** OriginalLocation of an Extended Zone VM's point: its zone, copied as az CLI does. */
  extendedZone?: string;
}

/**
 * The IaasVMRestoreRequest az CLI sends (test_backup_restore.yaml), field for field: no
 * encryptionDetails or restoreWithManagedDisks, `createNewCloudService: false`,
 * `originalStorageAccountOption: false` (always the staging account), `region` the vault's, and
 * the target ids of the kind only.
 */
export function restoreRequestBody(p: RestorePlan): IaasVMRestoreRequest {
  return {
    objectType: 'IaasVMRestoreRequest',
    recoveryPointId: p.recoveryPointId,
    recoveryType: p.kind,
    sourceResourceId: p.sourceResourceId,
    ...(p.targetVirtualMachineId ? { targetVirtualMachineId: p.targetVirtualMachineId } : {}),
    ...(p.targetResourceGroupId ? { targetResourceGroupId: p.targetResourceGroupId } : {}),
    storageAccountId: p.storageAccountId,
    ...(p.subnetId ? { virtualNetworkId: virtualNetworkIdOf(p.subnetId), subnetId: p.subnetId } : {}),
    region: p.region,
    createNewCloudService: false,
    originalStorageAccountOption: false,
    ...(p.extendedZone ? { extendedLocation: { type: 'EdgeZone', name: p.extendedZone } } : {}),
  };
}

/**
 * A resource given in configuration or chat as a full ARM id, or by its names: `<rg>/<name>` for a
 * storage account, `<rg>/<vnet>/<subnet>` for a subnet.
 */
export function storageAccountIdOf(subscriptionId: string, ref: string): string {
  if (ref.startsWith('/')) return ref;
  const [rg, name, extra] = ref.split('/');
  if (!rg || !name || extra !== undefined)
    throw badReference('staging storage account', ref, '<resource group>/<account>');
  return `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`;
}

export function subnetIdOf(subscriptionId: string, ref: string): string {
  if (ref.startsWith('/')) {
    if (!/\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i.test(ref)) {
      throw badReference('subnet', ref, '<resource group>/<vnet>/<subnet>');
    }
    return ref;
  }
  const [rg, vnet, subnet, extra] = ref.split('/');
  if (!rg || !vnet || !subnet || extra !== undefined) {
    throw badReference('subnet', ref, '<resource group>/<vnet>/<subnet>');
  }
  return `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;
}

/** The virtual network a subnet id belongs to (joining a subnet is granted on its network). */
export function virtualNetworkIdOf(subnetId: string): string {
  return subnetId.replace(/\/subnets\/[^/]+$/i, '');
}

export function resourceGroupIdOf(subscriptionId: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
}

function badReference(what: string, ref: string, form: string): AppError {
  return new AppError('validation.restore_target', `"${ref.slice(0, 120)}" does not name a ${what}.`, {
    suggestions: [fact('reference-form', { form })],
  });
}
