import type { Kysely, Selectable } from 'kysely';
import { keyOf } from '../domain/index.js';
import type { Database, WatchTable } from './schema.js';

/** A job whose card a channel keeps up to date. */
export interface Watch {
  jobId: string;
  vaultName: string;
  resourceGroup: string;
  /** The vault's subscription id; absent on watches made before it was kept. */
  subscription?: string;
  platform: string;
  /** Where the card lives (a MessageRef: its `key` identifies the message; see domain/message-ref.ts). */
  messageRef: Record<string, unknown>;
  extras: { retainUntil?: string; consistency?: string };
  fingerprint: string;
  createdAt: string;
}

/**
 * Watches survive a restart: they are rows, not timers. One job on one message is one watch, found
 * by the message's key: a refresh of a watched card adds nothing.
 */
export class WatchStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(
    w: Omit<Watch, 'fingerprint' | 'createdAt'> & { fingerprint?: string },
    now: Date,
  ): Promise<void> {
    const at = now.toISOString();
    await this.db
      .insertInto('watches')
      .values({
        job_id: w.jobId,
        vault_name: w.vaultName,
        resource_group: w.resourceGroup,
        subscription: w.subscription ?? null,
        platform: w.platform,
        message_ref: JSON.stringify(w.messageRef),
        message_key: keyOf(w.messageRef),
        extras: JSON.stringify(w.extras),
        fingerprint: w.fingerprint ?? '',
        done: 0,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async active(): Promise<Watch[]> {
    const rows = await this.db
      .selectFrom('watches')
      .selectAll()
      .where('done', '=', 0)
      .orderBy('created_at')
      .execute();
    return rows.map(toWatch);
  }

  /** The watch of `jobId` on a message, ended or not: what its card showed beyond the job. */
  async find(platform: string, messageKey: string, jobId: string): Promise<Watch | undefined> {
    const row = await this.db
      .selectFrom('watches')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('platform', '=', platform)
      .where('message_key', '=', messageKey)
      .executeTakeFirst();
    return row ? toWatch(row) : undefined;
  }

  /** Forgets what the message was last sent, so the watcher sends the job's view again. */
  async forgetShown(w: Pick<Watch, 'jobId' | 'platform' | 'messageRef'>): Promise<void> {
    await this.db
      .updateTable('watches')
      .set({ fingerprint: '' })
      .where('job_id', '=', w.jobId)
      .where('platform', '=', w.platform)
      .where('message_key', '=', keyOf(w.messageRef))
      .where('done', '=', 0)
      .execute();
  }

  /** Records the view sent; `done` ends the watch. */
  async record(w: Watch, fingerprint: string, done: boolean, now: Date): Promise<void> {
    await this.db
      .updateTable('watches')
      .set({ fingerprint, done: done ? 1 : 0, updated_at: now.toISOString() })
      .where('job_id', '=', w.jobId)
      .where('platform', '=', w.platform)
      .where('message_key', '=', keyOf(w.messageRef))
      .execute();
  }
}

function toWatch(r: Selectable<WatchTable>): Watch {
  return {
    jobId: r.job_id,
    vaultName: r.vault_name,
    resourceGroup: r.resource_group,
    ...(r.subscription ? { subscription: r.subscription } : {}),
    platform: r.platform,
    messageRef: JSON.parse(r.message_ref) as Record<string, unknown>,
    extras: JSON.parse(r.extras) as Watch['extras'],
    fingerprint: r.fingerprint,
    createdAt: r.created_at,
  };
}
