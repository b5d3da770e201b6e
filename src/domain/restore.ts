import { AppError } from './errors.js';
import { command } from './suggestions.js';

/**
 * Restoring an Azure VM from a recovery point (Azure Backup's IaasVMRestoreRequest), in the three
 * kinds the portal offers:
 *   AlternateLocation  a new VM (recorded Job Type "Recover VM to an alternate location")
 *   RestoreDisks       managed disks and a template to build a VM from ("Recover disks")
 *   OriginalLocation   the VM's disks replaced in place ("Replace disks"); destructive
 */
export const RESTORE_KINDS = ['AlternateLocation', 'RestoreDisks', 'OriginalLocation'] as const;
export type RestoreKind = (typeof RESTORE_KINDS)[number];

export function isRestoreKind(s: unknown): s is RestoreKind {
  return typeof s === 'string' && (RESTORE_KINDS as readonly string[]).includes(s);
}

/** What each kind's job's tasks are called (recorded; Azure's names, not the bot's words). */
export const RESTORE_KIND_INFO: Record<RestoreKind, { tasks: readonly string[] }> = {
  AlternateLocation: { tasks: ['Transfer data from vault', 'Create the restored virtual machine'] },
  RestoreDisks: { tasks: ['Transfer data from vault'] },
  OriginalLocation: { tasks: ['Transfer data from vault', 'Update the virtual machine'] },
};

/** Which recovery point: its id, the newest, or the newest taken at or before a time. */
export type PointChoice = { latest: true } | { id: string } | { atOrBefore: string };

export interface RestoreInput {
  vm: string;
  point: PointChoice;
  kind: RestoreKind;
  /** AlternateLocation: the new VM's name. */
  targetVmName?: string;
  /** AlternateLocation and RestoreDisks: where the new VM or disks go (default: the source VM's group). */
  targetResourceGroup?: string;
  /** AlternateLocation: the subnet (`<rg>/<vnet>/<subnet>` or an id; default: configured). */
  subnet?: string;
}

/** What a restore job's property bag says (recorded keys), in plain fields. */
export interface RestoreJobFacts {
  kind?: RestoreKind;
  /** "Recover disks", "Replace disks", "Recover VM to an alternate location". */
  jobType?: string;
  /** As of this time (the property bag's "Recovery point time ", with its trailing space). */
  recoveryPointTime?: string;
  targetVmName?: string;
  targetResourceGroup?: string;
  storageAccount?: string;
  /** "Group <rg> <vnet>", as recorded. */
  targetVnet?: string;
  /** RestoreDisks, once completed: the template that builds a VM from the restored disks. */
  templateBlobUri?: string;
}

/** A point a VM can be restored from, with the tiers (snapshot, vault, archive) that hold it. */
export interface RecoveryPoint {
  id: string;
  time?: string;
  consistency: string;
  tiers: { type: string; status: string }[];
  extendedZone?: string;
}

/** A recovery point can be restored from its snapshot (instant restore) or the vault tier. */
export function restorableTiers(p: RecoveryPoint): { snapshot: boolean; vault: boolean; archive: boolean } {
  const valid = (type: string) => p.tiers.some((t) => t.type === type && t.status === 'Valid');
  return { snapshot: valid('InstantRP'), vault: valid('HardenedRP'), archive: valid('ArchivedRP') };
}

/**
 * The point a choice designates among the VM's points (any order). Throws a validation error that
 * lists the newest points when none fits, or when the point can be restored from neither the
 * snapshot nor the vault tier (an archived point needs rehydration first, not offered here).
 */
export function choosePoint(points: RecoveryPoint[], choice: PointChoice, vm: string): RecoveryPoint {
  const newest = [...points].sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
  const listed: string[] = newest
    .slice(0, 3)
    .map((p) => `${p.id} (${p.time?.slice(0, 16).replace('T', ' ') ?? 'time unknown'} UTC)`);
  const suggestions = listed.length
    ? [
        { kind: 'choose', what: 'recovery point', names: listed, near: false } as const,
        command(`restore ${vm}`),
      ]
    : [];
  let point: RecoveryPoint | undefined;
  if ('latest' in choice) point = newest[0];
  else if ('id' in choice) point = newest.find((p) => p.id === choice.id);
  else point = newest.find((p) => p.time !== undefined && p.time <= choice.atOrBefore);
  if (!point) {
    const what =
      'latest' in choice
        ? `${vm} has no recovery points yet.`
        : 'id' in choice
          ? `${vm} has no recovery point ${choice.id}.`
          : `${vm} has no recovery point taken at or before ${choice.atOrBefore.slice(0, 16).replace('T', ' ')} UTC.`;
    throw new AppError('validation.recovery_point', what, { suggestions });
  }
  const tiers = restorableTiers(point);
  if (!tiers.snapshot && !tiers.vault) {
    throw new AppError(
      'validation.recovery_point_tier',
      tiers.archive
        ? `Recovery point ${point.id} of ${vm} is in the archive tier: it must be rehydrated before it can be restored, which this bot does not do yet.`
        : `Recovery point ${point.id} of ${vm} has no valid snapshot or vault copy to restore from.`,
      { suggestions },
    );
  }
  return point;
}

/** "7/26/2026 1:16:55 PM" (a job property bag's time, UTC) → ISO, or undefined. */
export function fromPropertyBagTime(text: string | null | undefined): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/i.exec(text?.trim() ?? '');
  if (!m) return undefined;
  const n = m.slice(1, 7).map(Number);
  const h24 = (n[3]! % 12) + (m[7]!.toUpperCase() === 'PM' ? 12 : 0);
  const ms = Date.UTC(n[2]!, n[0]! - 1, n[1]!, h24, n[4]!, n[5]!);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
