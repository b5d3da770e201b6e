import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Backup jobs this bot's commands started. Azure's job records do not say who started a job
 * (`isUserTriggered` is in the spec but absent from recorded live jobs), so the bot remembers its
 * own: what is not here was scheduled, or started outside the bot.
 */
export class StartedJobStore {
  constructor(private readonly db: Kysely<Database>) {}

  async record(job: { jobId: string; vaultName: string; resourceGroup: string }, now: Date): Promise<void> {
    await this.db
      .insertInto('started_jobs')
      .values({
        job_id: job.jobId.toLowerCase(),
        vault_key: `${job.resourceGroup}/${job.vaultName}`.toLowerCase(),
        started_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('job_id').doNothing())
      .execute();
  }

  /** Of these job ids, those the bot started. */
  async known(jobIds: string[]): Promise<Set<string>> {
    if (jobIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('started_jobs')
      .select('job_id')
      .where(
        'job_id',
        'in',
        jobIds.map((id) => id.toLowerCase()),
      )
      .execute();
    const own = new Set(rows.map((r) => r.job_id));
    return new Set(jobIds.filter((id) => own.has(id.toLowerCase())));
  }
}
