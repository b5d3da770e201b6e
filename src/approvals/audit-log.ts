import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** One line of the audit log: who did what to what, and how it ended. */
export interface AuditEntry {
  at: string;
  userId: string;
  userName: string;
  platform: string;
  action: string;
  target: string;
  outcome: string;
}

/** Every command, approval step and Azure outcome, in the store (it survives restarts). */
export class AuditLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(e: Omit<AuditEntry, 'at'>): Promise<void> {
    await this.db
      .insertInto('audit')
      .values({
        at: this.now().toISOString(),
        user_id: e.userId,
        user_name: e.userName,
        platform: e.platform,
        action: e.action,
        target: e.target,
        outcome: e.outcome,
      })
      .execute();
  }

  /** The newest entries first, optionally about one target (a VM, a resource group, a request id). */
  async list(o: { limit?: number; target?: string } = {}): Promise<AuditEntry[]> {
    let q = this.db
      .selectFrom('audit')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(o.limit ?? 20);
    if (o.target) q = q.where((eb) => eb(eb.fn('lower', ['target']), '=', o.target!.toLowerCase()));
    const rows = await q.execute();
    return rows.map((r) => ({
      at: r.at,
      userId: r.user_id,
      userName: r.user_name,
      platform: r.platform,
      action: r.action,
      target: r.target,
      outcome: r.outcome,
    }));
  }

  /** The whole log, oldest first, one JSON object a line (for export to a SIEM). */
  async exportJsonLines(): Promise<string> {
    const rows = await this.db.selectFrom('audit').selectAll().orderBy('seq', 'asc').execute();
    return rows.map(({ seq: _seq, ...r }) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
  }
}
