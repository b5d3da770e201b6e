import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** How long a delivery id is remembered: the platforms redeliver within minutes. */
const KEEP_MS = 60 * 60_000;

/**
 * Which platform deliveries were handled, so a redelivery does nothing: Slack resends an event
 * (same `event_id`, `X-Slack-Retry-Num` set) whose first delivery was not acknowledged in 3 s, and
 * the Bot Framework may resend an activity with the same id. Running a command twice could start a
 * second backup. Rows, not memory: the redelivery may reach another replica, or this one after a
 * restart. The primary key decides between two deliveries arriving at once.
 */
export class DeliveryStore {
  private lastPrune = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True the first time a delivery id is offered; false for a redelivery. */
  async firstTime(id: string): Promise<boolean> {
    const now = this.now();
    await this.prune(now);
    const r = await this.db
      .insertInto('deliveries')
      .values({ delivery_id: id.slice(0, 500), seen_at: now.toISOString() })
      .onConflict((oc) => oc.column('delivery_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** At most once a minute, drops ids older than the redelivery window. */
  private async prune(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < 60_000) return;
    this.lastPrune = now.getTime();
    await this.db
      .deleteFrom('deliveries')
      .where('seen_at', '<', new Date(now.getTime() - KEEP_MS).toISOString())
      .execute();
  }
}
