import type { Kysely } from 'kysely';
import type { MetricsSources } from '../metrics/metrics.js';
import { ApprovalStore } from './approval-store.js';
import type { Database } from './schema.js';
import { WatchStore } from './watch-store.js';

/** The metrics read from the store at each scrape: jobs watched, approval requests by state. */
export function storeGauges(db: Kysely<Database>): MetricsSources {
  const watches = new WatchStore(db);
  const approvals = new ApprovalStore(db);
  return {
    watchedJobs: async () => (await watches.active()).length,
    approvalsByState: () => approvals.countByState(),
  };
}
