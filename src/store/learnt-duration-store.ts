import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Snapshot durations the JobWatcher learnt, kept across restarts: without them a restarted watcher
 * knows nothing of the estate and falls back to probing (DESIGN.md section 6). Only the newest
 * `keep` rows matter; older ones are pruned as new ones come.
 */
export class LearntDurationStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly keep = 500,
  ) {}

  /** The newest durations of `kind` (ms), oldest first. */
  async load(kind: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom('learnt_durations')
      .select(['seq', 'duration_ms'])
      .where('kind', '=', kind)
      .orderBy('seq', 'desc')
      .limit(this.keep)
      .execute();
    return rows.reverse().map((r) => Number(r.duration_ms));
  }

  /** Records durations learnt in one round (one statement) and forgets those beyond `keep`. */
  async add(kind: string, durationsMs: readonly number[], now: Date): Promise<void> {
    if (durationsMs.length === 0) return;
    const at = now.toISOString();
    await this.db
      .insertInto('learnt_durations')
      .values(durationsMs.map((ms) => ({ kind, duration_ms: Math.round(ms), learnt_at: at })))
      .execute();
    const cut = await this.db
      .selectFrom('learnt_durations')
      .select('seq')
      .where('kind', '=', kind)
      .orderBy('seq', 'desc')
      .offset(this.keep)
      .limit(1)
      .executeTakeFirst();
    if (cut)
      await this.db
        .deleteFrom('learnt_durations')
        .where('kind', '=', kind)
        .where('seq', '<=', cut.seq)
        .execute();
  }
}
