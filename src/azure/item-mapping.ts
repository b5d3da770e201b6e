import type {
  AzureIaaSComputeVMProtectedItem,
  IaasVMRecoveryPoint,
  ProtectedItemResource,
  RecoveryPointResource,
} from '@azure/arm-recoveryservicesbackup';
import type { ProtectionState, RecoveryPoint, Vault, VmProtection } from '../domain/index.js';
import { isoOf } from './job-mapping.js';

/** Soft delete keeps deleted backup data 14 days unless the vault says otherwise (14–180). */
export const DEFAULT_SOFT_DELETE_DAYS = 14;

/** A VM's protected item: the names Azure Backup knows it by, and its protection in domain terms. */
export interface ItemRef {
  containerName: string;
  itemName: string;
  protection: VmProtection;
  sourceResourceId: string;
}

/** Protected item (SDK) → ItemRef; undefined for anything that is not an Azure VM's item. */
export function itemRefOf(
  r: ProtectedItemResource,
  vault: Pick<Vault, 'name' | 'softDelete'>,
): ItemRef | undefined {
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
      vaultName: vault.name,
      // A stopped item answers "" for both.
      policyName: p.policyName || p.policyId?.split('/').pop() || undefined,
      // Before the first backup Azure answers "" and 2001-01-01: "no backup yet", not a date.
      lastBackupStatus: p.lastBackupStatus || undefined,
      lastBackupTime: isoOf(p.lastBackupTime),
      lastRecoveryPoint: isoOf(p.lastRecoveryPoint),
      ...(p.isScheduledForDeferredDelete
        ? { softDeleted: softDeletedOf(p, vault.softDelete?.retentionDays) }
        : {}),
    },
  };
}

/**
 * When soft-deleted data is purged: the delete's start (`deferredDeleteTimeInUTC`) plus the
 * retention. Live items say it as `softDeleteRetentionPeriod`, a name the SDK's model does not map
 * (its `softDeleteRetentionPeriodInDays` is never sent): the deserializer keeps unknown properties
 * as they came, so it is read from there; then the vault's setting; 14 days only when neither says.
 */
function softDeletedOf(
  p: AzureIaaSComputeVMProtectedItem,
  vaultRetentionDays: number | undefined,
): { deletedAt?: string; purgeAt?: string } {
  const deletedAt = isoOf(p.deferredDeleteTimeInUTC);
  const days =
    positive((p as { softDeleteRetentionPeriod?: unknown }).softDeleteRetentionPeriod) ??
    positive(p.softDeleteRetentionPeriodInDays) ??
    positive(vaultRetentionDays) ??
    DEFAULT_SOFT_DELETE_DAYS;
  return {
    ...(deletedAt
      ? { deletedAt, purgeAt: new Date(Date.parse(deletedAt) + days * 86_400_000).toISOString() }
      : {}),
  };
}

/** A count of days Azure gave, when it is one (0 means "not deleted" on live items). */
function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
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
