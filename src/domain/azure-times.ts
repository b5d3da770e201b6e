/**
 * Azure Backup fills unset times with placeholders instead of leaving them out: `0001-01-01` on
 * job tasks and operation statuses, `2001-01-01T00:00:00Z` as the `lastBackupTime` of an item
 * that has no backup yet (recorded live sessions). Azure Backup did not exist before 2010, so any
 * earlier time is a placeholder and means "not known".
 */
const FIRST_REAL_TIME_MS = Date.UTC(2010, 0, 1);

export function isPlaceholderTime(iso: string | undefined): boolean {
  if (!iso) return true;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || ms < FIRST_REAL_TIME_MS;
}

/** The time when it is a real one, else undefined. */
export function realTime(iso: string | undefined): string | undefined {
  return isPlaceholderTime(iso) ? undefined : iso;
}

/** A duration Azure reported, or undefined for the `PT0S` it sends on tasks that say nothing. */
export function reportedDurationMs(ms: number | undefined): number | undefined {
  return ms === undefined || ms <= 0 ? undefined : ms;
}
