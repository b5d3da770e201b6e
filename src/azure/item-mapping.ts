import type {
  AzureIaaSComputeVMProtectedItem,
  IaasVMRecoveryPoint,
  ProtectedItemResource,
  RecoveryPointResource,
} from '@azure/arm-recoveryservicesbackup';
import type { ProtectionState, RecoveryPoint, VmProtection } from '../domain/index.js';
import { isoOf } from './job-mapping.js';

/** Soft delete keeps deleted backup data 14 days unless the vault says otherwise. */
export const DEFAULT_SOFT_DELETE_DAYS = 14;

/** A VM's protected item: the names Azure Backup knows it by, and its protection in domain terms. */
export interface ItemRef {
  containerName: string;
  itemName: string;
  protection: VmProtection;
  sourceResourceId: string;
}

/** Protected item (SDK) → ItemRef; undefined for anything that is not an Azure VM's item. */
export function itemRefOf(r: ProtectedItemResource, vaultName: string): ItemRef | undefined {
  // Azure VM items only (the list is filtered to AzureIaasVM); the SDK union does not narrow.
  const p = r.properties as AzureIaaSComputeVMProtectedItem | undefined;
  if (!r.id || !r.name || !p || !p.sourceResourceId) return undefined;
  const container = /\/protectionContainers\/([^/]+)/i.exec(r.id)?.[1];
  if (!container) return undefined;
  return {
    containerName: decodeURIComponent(container),
    itemName: r.name,
    sourceResourceId: p.sourceResourceId,
    protection: {
      state: (p.protectionState ?? 'Invalid') as ProtectionState,
      vaultName,
      // A stopped item answers "" for both.
      policyName: p.policyName || p.policyId?.split('/').pop() || undefined,
      // Before the first backup Azure answers "" and 2001-01-01: "no backup yet", not a date.
      lastBackupStatus: p.lastBackupStatus || undefined,
      lastBackupTime: isoOf(p.lastBackupTime),
      lastRecoveryPoint: isoOf(p.lastRecoveryPoint),
      ...(p.isScheduledForDeferredDelete ? { softDeleted: softDeletedOf(p) } : {}),
    },
  };
}

/** When soft-deleted data is purged: the delete's start plus the retention (14 days when not said). */
function softDeletedOf(p: AzureIaaSComputeVMProtectedItem): { deletedAt?: string; purgeAt?: string } {
  const deletedAt = isoOf(p.deferredDeleteTimeInUTC);
  const days = p.softDeleteRetentionPeriodInDays || DEFAULT_SOFT_DELETE_DAYS;
  return {
    ...(deletedAt
      ? { deletedAt, purgeAt: new Date(Date.parse(deletedAt) + days * 86_400_000).toISOString() }
      : {}),
  };
}

/** `…/protectionContainers/{container}/protectableItems/{item}` → both names. */
export function protectableNamesOf(id: string): { containerName: string; itemName: string } | undefined {
  const m = /\/protectionContainers\/([^/]+)\/protectableItems\/([^/]+)$/i.exec(id);
  return m ? { containerName: decodeURIComponent(m[1]!), itemName: decodeURIComponent(m[2]!) } : undefined;
}

/** Recovery point (SDK) → RecoveryPoint with its tiers; undefined for anything but a VM's point. */
export function recoveryPointOf(rp: RecoveryPointResource): RecoveryPoint | undefined {
  if (!rp.name || rp.properties?.objectType !== 'IaasVMRecoveryPoint') return undefined;
  const p = rp.properties as IaasVMRecoveryPoint;
  return {
    id: rp.name,
    time: p.recoveryPointTime?.toISOString(),
    consistency: p.recoveryPointType ?? 'Unknown',
    tiers: (p.recoveryPointTierDetails ?? []).map((t) => ({
      type: t.type ?? 'Unknown',
      status: t.status ?? 'Unknown',
    })),
    ...(p.extendedLocation?.name ? { extendedZone: p.extendedLocation.name } : {}),
  };
}

/** The resource group segment of an ARM id ('' when there is none). */
export function resourceGroupOfId(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}
