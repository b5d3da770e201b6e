import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A job an alert is about, as the alert store records it. */
export interface AlertedJob {
  jobId: string;
  vaultName: string;
  resourceGroup: string;
  status: string;
  endedAt: string;
}

/**
 * What the ScheduledJobAlerter remembers, so each failed job is alerted once per target across
 * restarts and replicas: rows, not memory. Claims are inserts on the primary key, so of two
 * alerters racing for one job exactly one wins.
 */
export class AlertStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** When `scope` started being watched; recorded as `now` the first time it is asked. */
  async watchingSince(scope: string, now: Date): Promise<Date> {
    await this.db
      .insertInto('alert_scopes')
      .values({ scope, watching_since: now.toISOString() })
      .onConflict((oc) => oc.column('scope').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('alert_scopes')
      .select('watching_since')
      .where('scope', '=', scope)
      .executeTakeFirstOrThrow();
    return new Date(row.watching_since);
  }

  /** Of these job ids, those already alerted (or being alerted) to `target`. */
  async known(target: string, jobIds: string[]): Promise<Set<string>> {
    if (jobIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('alerted_jobs')
      .select('job_id')
      .where('target', '=', target)
      .where('job_id', 'in', jobIds)
      .execute();
    return new Set(rows.map((r) => r.job_id));
  }

  /** Takes the job for `target`; false when another alerter already has. */
  async claim(target: string, job: AlertedJob, now: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('alerted_jobs')
      .values({
        job_id: job.jobId,
        target,
        vault_name: job.vaultName,
        resource_group: job.resourceGroup,
        status: job.status,
        ended_at: job.endedAt,
        state: 'sending',
        claimed_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['job_id', 'target']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async markSent(target: string, jobId: string): Promise<void> {
    await this.db
      .updateTable('alerted_jobs')
      .set({ state: 'sent' })
      .where('target', '=', target)
      .where('job_id', '=', jobId)
      .execute();
  }

  /** Gives a claim back after a failed post, so a later round retries the alert. */
  async release(target: string, jobId: string): Promise<void> {
    await this.db
      .deleteFrom('alerted_jobs')
      .where('target', '=', target)
      .where('job_id', '=', jobId)
      .where('state', '=', 'sending')
      .execute();
  }
}
