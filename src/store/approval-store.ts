import type { Kysely, Selectable, Updateable } from 'kysely';
import type { AcceptedOperation, ApprovalRecord, ApprovalState, StartedJob } from '../domain/index.js';
import { canMove } from '../domain/index.js';
import type { ApprovalTable, Database } from './schema.js';

/** A request as stored: its record, and what running it needs (who asked where, the arguments, the plan). */
export interface StoredApproval {
  record: ApprovalRecord;
  requesterId: string;
  platform: string;
  /** The command's arguments as requested (with its `title`). */
  args: Record<string, unknown> & { title?: string };
  /** What exactly is acted on, as approved. */
  plan: string[];
  /** The Azure operation the approved action started, once Azure accepted it. */
  operation?: AcceptedOperation;
}

/** A new request as it is written. */
export interface NewApprovalRow {
  id: string;
  action: string;
  args: Record<string, unknown> & { title: string };
  target: string;
  confirmName: string;
  consequences: string[];
  plan: string[];
  requester: { id: string; name: string };
  platform: string;
  requestedAt: Date;
  expiresAt: Date;
}

/** One step of the state machine, with what it records. */
export interface ApprovalStep {
  state: ApprovalState;
  decidedBy?: { id: string; name: string };
  decidedAt?: Date;
  outcome?: string;
  startedJob?: StartedJob;
}

/** Where an approval's card lives, so its outcome can be shown there. */
export interface ApprovalCard {
  platform: string;
  ref: Record<string, unknown>;
}

/**
 * The `approvals` table. Every change of state is a compare-and-set from the state the caller read
 * (`move`): of two concurrent steps from one state exactly one takes effect.
 */
export class ApprovalStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** How many requests are in each state (the metrics' gauge). */
  async countByState(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('approvals')
      .select(['state', this.db.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  async insert(a: NewApprovalRow): Promise<void> {
    await this.db
      .insertInto('approvals')
      .values({
        id: a.id,
        action: a.action,
        args: JSON.stringify(a.args),
        target: a.target,
        confirm_name: a.confirmName,
        consequences: JSON.stringify(a.consequences),
        plan: JSON.stringify(a.plan),
        requested_by_id: a.requester.id,
        requested_by_name: a.requester.name,
        platform: a.platform,
        state: 'requested',
        created_at: a.requestedAt.toISOString(),
        expires_at: a.expiresAt.toISOString(),
        decided_by_id: null,
        decided_by_name: null,
        decided_at: null,
        outcome: null,
      })
      .execute();
  }

  async find(id: string): Promise<StoredApproval | undefined> {
    const row = await this.db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toStored(row) : undefined;
  }

  /** One compare-and-set step; false when another step got there first. */
  async move(id: string, from: ApprovalState, step: ApprovalStep): Promise<boolean> {
    if (!canMove(from, step.state)) throw new Error(`approval ${id}: no step from ${from} to ${step.state}`);
    const set: Updateable<ApprovalTable> = { state: step.state };
    if (step.decidedBy)
      Object.assign(set, { decided_by_id: step.decidedBy.id, decided_by_name: step.decidedBy.name });
    if (step.decidedAt) set.decided_at = step.decidedAt.toISOString();
    if (step.outcome !== undefined) set.outcome = step.outcome;
    if (step.startedJob) set.started_job = JSON.stringify(step.startedJob);
    const r = await this.db
      .updateTable('approvals')
      .set(set)
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records the Azure operation a running (`executing`) request started. */
  async recordOperation(id: string, op: AcceptedOperation): Promise<void> {
    await this.db
      .updateTable('approvals')
      .set({ azure_operation: JSON.stringify(op) })
      .where('id', '=', id)
      .where('state', '=', 'executing')
      .execute();
  }

  /** Requests left `approved` or `executing` since before `cutoff` (their process stopped running them). */
  async staleRuns(cutoff: Date): Promise<StoredApproval[]> {
    const rows = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('state', 'in', ['approved', 'executing'])
      .where('decided_at', '<', cutoff.toISOString())
      .execute();
    return rows.map(toStored);
  }

  /** Open requests past their expiry. */
  async lapsed(now: Date): Promise<StoredApproval[]> {
    const rows = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('state', '=', 'requested')
      .where('expires_at', '<=', now.toISOString())
      .execute();
    return rows.map(toStored);
  }

  async attachCard(id: string, card: ApprovalCard): Promise<void> {
    await this.db
      .updateTable('approvals')
      .set({ card_platform: card.platform, card_ref: JSON.stringify(card.ref) })
      .where('id', '=', id)
      .execute();
  }

  async cardOf(id: string): Promise<ApprovalCard | undefined> {
    const row = await this.db
      .selectFrom('approvals')
      .select(['card_platform', 'card_ref'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row?.card_platform || !row.card_ref) return undefined;
    return { platform: row.card_platform, ref: JSON.parse(row.card_ref) as Record<string, unknown> };
  }

  async startedJob(id: string): Promise<StartedJob | undefined> {
    const row = await this.db
      .selectFrom('approvals')
      .select('started_job')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.started_job ? (JSON.parse(row.started_job) as StartedJob) : undefined;
  }
}

function toStored(r: Selectable<ApprovalTable>): StoredApproval {
  const args = JSON.parse(r.args) as Record<string, unknown> & { title?: string };
  return {
    record: {
      id: r.id,
      state: r.state as ApprovalState,
      action: r.action,
      title: args.title ?? r.action,
      target: r.target,
      requestedBy: r.requested_by_name,
      requestedAt: r.created_at,
      expiresAt: r.expires_at,
      consequences: JSON.parse(r.consequences) as string[],
      confirmName: r.confirm_name,
      ...(r.decided_by_name ? { decidedBy: r.decided_by_name } : {}),
      ...(r.decided_at ? { decidedAt: r.decided_at } : {}),
      ...(r.outcome ? { outcome: r.outcome } : {}),
    },
    requesterId: r.requested_by_id,
    platform: r.platform,
    args,
    plan: JSON.parse(r.plan) as string[],
    ...(r.azure_operation ? { operation: JSON.parse(r.azure_operation) as AcceptedOperation } : {}),
  };
}
