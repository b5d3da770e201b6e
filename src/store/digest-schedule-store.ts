import type { Kysely } from 'kysely';
import type { ChannelAddress } from '../domain/index.js';
import { parseAddress, targetIdOf } from '../domain/index.js';
import type { Database } from './schema.js';

export interface DigestSchedule {
  target: string;
  address: ChannelAddress;
  /** `HH:MM`, UTC. */
  time: string;
  lastSentOn?: string;
  createdBy: string;
}

/**
 * Channels' daily digests. Sending is claimed per day by a conditional update of `last_sent_on`,
 * so of several replicas due at the same minute exactly one sends it (the compare-and-set of
 * the vault leases, on the schedule's own row).
 */
export class DigestScheduleStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Sets the channel's digest; `lastSentOn` today makes the first one tomorrow's. */
  async schedule(
    s: Omit<DigestSchedule, 'target' | 'lastSentOn'>,
    lastSentOn: string | undefined,
  ): Promise<void> {
    const target = targetIdOf(s.address);
    const row = {
      address: JSON.stringify(s.address),
      time: s.time,
      created_by: s.createdBy,
      last_sent_on: lastSentOn ?? null,
    };
    await this.db
      .insertInto('digest_schedules')
      .values({ target, ...row })
      .onConflict((oc) => oc.column('target').doUpdateSet(row))
      .execute();
  }

  async cancel(target: string): Promise<boolean> {
    const r = await this.db.deleteFrom('digest_schedules').where('target', '=', target).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async get(target: string): Promise<DigestSchedule | undefined> {
    return (await this.list()).find((s) => s.target === target);
  }

  async list(): Promise<DigestSchedule[]> {
    const rows = await this.db.selectFrom('digest_schedules').selectAll().orderBy('target').execute();
    return rows.flatMap((r) => {
      const address = parseAddress(r.address);
      if (!address) return [];
      return [
        {
          target: r.target,
          address,
          time: r.time,
          ...(r.last_sent_on ? { lastSentOn: r.last_sent_on } : {}),
          createdBy: r.created_by,
        },
      ];
    });
  }

  /** Takes today's digest of `target`; false when it was already taken (by this or another replica). */
  async claim(target: string, today: string): Promise<boolean> {
    const r = await this.db
      .updateTable('digest_schedules')
      .set({ last_sent_on: today })
      .where('target', '=', target)
      .where((eb) => eb.or([eb('last_sent_on', 'is', null), eb('last_sent_on', '<', today)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Gives today's claim back after a failed post, so the next round tries again. */
  async release(target: string, today: string, previous: string | undefined): Promise<void> {
    await this.db
      .updateTable('digest_schedules')
      .set({ last_sent_on: previous ?? null })
      .where('target', '=', target)
      .where('last_sent_on', '=', today)
      .execute();
  }
}
