import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { toApprovalView } from '../cards/present-approval.js';
import type { ApprovalView } from '../cards/views.js';
import type { AcceptedOperation, AcceptedOutcome, OperationWatch } from '../domain/index.js';
import { AppError, isAppError } from '../domain/index.js';
import type { ApprovalTable, Database } from '../store/schema.js';
import { PersonLinks } from '../identity/person-links.js';
import type { AuditLog } from './audit-log.js';

/**
 * Destructive actions never run on one person's word (DESIGN.md section 5, Azure's Multi-User
 * Authorization as the standard): a persisted state machine
 *   requested → approved | rejected | expired | cancelled;  approved → executing → executed | failed
 * whose transitions are compare-and-set updates, so a double click or two approvers at once run
 * the action once. Every step is audited.
 */
export type ApprovalState = ApprovalView['state'];

export interface Requester {
  id: string;
  name: string;
  /** Other ids the platform gave for this person (a Slack Grid user's `T…:U…`). */
  roleIds?: readonly string[];
}

export interface NewApproval {
  /** The destructive command's id, and the arguments it runs with once approved. */
  action: string;
  args: Record<string, unknown>;
  title: string;
  target: string;
  /** What the approver must type: the VM's or the resource group's name. */
  confirmName: string;
  consequences: string[];
  /** What exactly is acted on, as the approver approves it (read again before it runs). */
  plan: string[];
  requester: Requester;
  platform: string;
}

/** An Azure job an approved action started, to follow on the approval's card (a restore's). */
export interface StartedJob {
  jobId: string;
  vaultName: string;
  resourceGroup: string;
}

/** What an approved action did: in plain words, and the job it started, if any. */
export interface ApprovedRun {
  outcome: string;
  job?: StartedJob;
}

/**
 * Runs an approved action; returns what it did, or throws an AppError. It reads the plan again
 * first: `approval.plan_changed` (with the new description in `details.description`) means it did
 * not run because what it would act on is no longer what was approved.
 */
export type ApprovedActionRunner = (
  action: string,
  args: Record<string, unknown>,
  approvedPlan: string[],
  operations: OperationWatch,
) => Promise<ApprovedRun>;

/** The new description of a re-proposed action (`approval.plan_changed`). */
export interface ChangedPlan {
  target: string;
  confirmName: string;
  consequences: string[];
  plan: string[];
}

/**
 * How an approved action ended: told to whoever presents it (the approval's card). `reproposed`:
 * it did not run because its plan changed, and this new request asks again.
 */
export interface Settled {
  id: string;
  state: 'executed' | 'failed';
  outcome: string;
  reproposed?: string;
  /** The job the action started (on record with the request): the card follows it to its end. */
  job?: StartedJob;
}

/** Where an approval's card lives, so its outcome can be shown there. */
export interface ApprovalCard {
  platform: string;
  ref: Record<string, unknown>;
}

export interface ApprovalWorkflowOptions {
  db: Kysely<Database>;
  audit: AuditLog;
  run: ApprovedActionRunner;
  /** Told when an approved action ended, here or (after a crash) in a later process's sweep. */
  onSettled?: (s: Settled) => Promise<void>;
  /** One look at an Azure operation an approved action started (after its process died). */
  follow?: (op: AcceptedOperation) => Promise<AcceptedOutcome>;
  /** Which ids are one person: no one decides their own request under another id (default: none linked). */
  people?: PersonLinks;
  /** How long a request can be decided (default 60 minutes). */
  ttlMs?: number;
  now?: () => Date;
}

/** A request as it is on record: what was asked, by whom, until when, and how it stands. */
export interface ApprovalRecord {
  id: string;
  state: ApprovalState;
  /** The command's id, and its title as the request shows it. */
  action: string;
  title: string;
  target: string;
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  consequences: string[];
  confirmName: string;
  decidedBy?: string;
  decidedAt?: string;
  outcome?: string;
}

/** Why a decision was refused: the stable codes its error card shows. */
export type RefusalReason =
  'approval.expired' | 'approval.self' | 'approval.name_mismatch' | 'approval.not_requester';

/**
 * What a decision (approve, reject, cancel) did, with the request as it now stands. `decided`:
 * `tookEffect` says whether this decision moved the request on — one that lost a race or came after
 * the request was decided changes nothing (the card just shows its state), and the audit log must
 * not record it as done. `refused`: the request could not be decided this way, and why.
 */
export type Decision =
  | { result: 'decided'; request: ApprovalRecord; tookEffect: boolean }
  | { result: 'refused'; reason: RefusalReason; request: ApprovalRecord };

/** Who the audit names for steps the bot takes by itself. */
const SYSTEM: Requester = { id: 'system', name: 'backup-chatops' };

export class ApprovalWorkflow {
  private readonly now: () => Date;
  private readonly ttlMs: number;
  private readonly people: PersonLinks;
  /** Approved actions running in the background in this process. */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: ApprovalWorkflowOptions) {
    this.now = o.now ?? (() => new Date());
    this.ttlMs = o.ttlMs ?? 60 * 60_000;
    this.people = o.people ?? new PersonLinks();
  }

  async request(a: NewApproval): Promise<ApprovalRecord> {
    const id = randomBytes(4).toString('hex');
    const at = this.now();
    await this.o.db
      .insertInto('approvals')
      .values({
        id,
        action: a.action,
        args: JSON.stringify({ ...a.args, title: a.title }),
        target: a.target,
        confirm_name: a.confirmName,
        consequences: JSON.stringify(a.consequences),
        plan: JSON.stringify(a.plan),
        requested_by_id: a.requester.id,
        requested_by_name: a.requester.name,
        platform: a.platform,
        state: 'requested',
        created_at: at.toISOString(),
        expires_at: new Date(at.getTime() + this.ttlMs).toISOString(),
        decided_by_id: null,
        decided_by_name: null,
        decided_at: null,
        outcome: null,
      })
      .execute();
    await this.audit(a.requester, a.platform, 'approval.requested', a.target, `request ${id}: ${a.title}`);
    return this.record(id);
  }

  /**
   * An approver's decision. A request that is no longer open answers with its current state (a
   * replayed click is harmless); an expired one is marked so and refused.
   */
  async decide(
    id: string,
    decider: Requester,
    platform: string,
    decision: 'approve' | 'reject',
    confirmName?: string,
  ): Promise<Decision> {
    const row = await this.load(id);
    if (row.state !== 'requested') return { result: 'decided', request: toRecord(row), tookEffect: false };
    if (Date.parse(row.expires_at) <= this.now().getTime()) {
      await this.transition(id, 'requested', { state: 'expired' });
      await this.audit(
        decider,
        platform,
        `approval.${decision}`,
        row.target,
        `refused: request ${id} expired`,
      );
      return this.refused('approval.expired', id);
    }
    if (this.isRequester(row, decider)) {
      await this.audit(decider, platform, `approval.${decision}`, row.target, `refused: own request ${id}`);
      return this.refused('approval.self', id);
    }
    if (decision === 'reject') {
      const tookEffect = await this.transition(id, 'requested', this.decided('rejected', decider));
      if (tookEffect) {
        await this.audit(decider, platform, 'approval.rejected', row.target, `request ${id} rejected`);
      }
      return this.decidedNow(id, tookEffect);
    }
    if ((confirmName ?? '').trim() !== row.confirm_name) {
      await this.audit(
        decider,
        platform,
        'approval.approve',
        row.target,
        `refused: typed name did not match (request ${id})`,
      );
      return this.refused('approval.name_mismatch', id);
    }
    // Compare-and-set: of concurrent approvals exactly one moves the request on.
    if (!(await this.transition(id, 'requested', this.decided('approved', decider))))
      return this.decidedNow(id, false);
    await this.audit(decider, platform, 'approval.approved', row.target, `request ${id} approved`);
    if (!(await this.transition(id, 'approved', { state: 'executing' }))) return this.decidedNow(id, true);
    // The approver's click returns now; the action runs in the background and its end is told to
    // onSettled, which shows it on the card. A crash meanwhile leaves `executing` for the sweep.
    const run = this.execute(row, decider, platform)
      .then((settled) => this.o.onSettled?.(settled))
      .catch(() => undefined)
      .finally(() => this.running.delete(run));
    this.running.add(run);
    return this.decidedNow(id, true);
  }

  private async decidedNow(id: string, tookEffect: boolean): Promise<Decision> {
    return { result: 'decided', request: await this.record(id), tookEffect };
  }

  private async refused(reason: RefusalReason, id: string): Promise<Decision> {
    return { result: 'refused', reason, request: await this.record(id) };
  }

  /** Resolves once the approved actions running in this process have ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Runs an approved (now `executing`) request's action and records how it ended. */
  private async execute(
    row: Selectable<ApprovalTable>,
    decider: Requester,
    platform: string,
  ): Promise<Settled> {
    const { id } = row;
    let state: Settled['state'] = 'executed';
    let outcome: string;
    let job: StartedJob | undefined;
    const args = JSON.parse(row.args) as Record<string, unknown> & { title?: string };
    try {
      ({ outcome, job } = await this.o.run(row.action, args, JSON.parse(row.plan) as string[], {
        // Recorded before it is followed: a process that dies now leaves the next one a trail.
        onAccepted: (op) => this.recordOperation(id, op),
      }));
    } catch (e) {
      state = 'failed';
      outcome = isAppError(e) ? `${e.message} (${e.code})` : 'The action failed unexpectedly.';
      if (isAppError(e) && e.code === 'approval.plan_changed') {
        // What was approved is not what would run: nothing ran, and the new plan is proposed for a
        // new approval on the same card, by the same requester.
        await this.transition(id, 'executing', { state, outcome });
        await this.audit(decider, platform, 'approval.failed', row.target, `request ${id}: ${outcome}`);
        const changed = e.details.description as ChangedPlan;
        const next = await this.request({
          action: row.action,
          args,
          title: args.title ?? row.action,
          ...changed,
          consequences: [
            `⚠️ ${e.message} This is a new request (the one approved was ${id}).`,
            ...changed.consequences,
          ],
          requester: { id: row.requested_by_id, name: row.requested_by_name },
          platform: row.platform,
        });
        return { id, state, outcome, reproposed: next.id };
      }
    }
    await this.transition(id, 'executing', {
      state,
      outcome,
      ...(job ? { started_job: JSON.stringify(job) } : {}),
    });
    await this.audit(decider, platform, `approval.${state}`, row.target, `request ${id}: ${outcome}`);
    return { id, state, outcome, ...(job ? { job } : {}) };
  }

  /** Records where the approval's card is (the newest one shown); its outcome is shown there. */
  async attachCard(id: string, card: ApprovalCard): Promise<void> {
    await this.o.db
      .updateTable('approvals')
      .set({ card_platform: card.platform, card_ref: JSON.stringify(card.ref) })
      .where('id', '=', id)
      .execute();
  }

  /** The job the approved action started, once it ran. */
  async startedJob(id: string): Promise<StartedJob | undefined> {
    const row = await this.o.db
      .selectFrom('approvals')
      .select('started_job')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.started_job ? (JSON.parse(row.started_job) as StartedJob) : undefined;
  }

  async cardOf(id: string): Promise<ApprovalCard | undefined> {
    const row = await this.o.db
      .selectFrom('approvals')
      .select(['card_platform', 'card_ref'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row?.card_platform || !row.card_ref) return undefined;
    return { platform: row.card_platform, ref: JSON.parse(row.card_ref) as Record<string, unknown> };
  }

  /**
   * After a crash: requests left `approved` or `executing` for longer than any run can take (the
   * bot stopped while running them) are never run again. One whose Azure operation was recorded is
   * followed to its real outcome (`executed` or `failed`, or left for the next sweep while Azure
   * still runs it); one without (the bot died before Azure accepted anything, or cannot tell) is
   * marked `failed` with an outcome that says to check. Open requests past their expiry are marked
   * `expired`. Safe beside live replicas: a run still under way is younger than `staleMs`.
   */
  async sweep(staleMs: number): Promise<{ interrupted: number; expired: number }> {
    const now = this.now();
    const cutoff = new Date(now.getTime() - staleMs).toISOString();
    const stale = await this.o.db
      .selectFrom('approvals')
      .selectAll()
      .where('state', 'in', ['approved', 'executing'])
      .where('decided_at', '<', cutoff)
      .execute();
    let interrupted = 0;
    for (const row of stale) {
      const op = row.azure_operation ? (JSON.parse(row.azure_operation) as AcceptedOperation) : undefined;
      if (op && this.o.follow) {
        const now = await this.o.follow(op).catch((): AcceptedOutcome => ({ state: 'running' }));
        if (now.state === 'running') continue;
        const state: ApprovalState = now.state === 'succeeded' ? 'executed' : 'failed';
        // An operation that started a job (a restore) has only begun: its job is followed on the card.
        const job: StartedJob | undefined =
          now.state === 'succeeded' && now.jobId && op.kind === 'backup-operation' && op.startsJob
            ? { jobId: now.jobId, vaultName: op.vault, resourceGroup: op.resourceGroup }
            : undefined;
        const outcome =
          now.state === 'failed'
            ? `Failed in Azure after the bot that started it stopped: ${now.message} (${now.code})`
            : job
              ? `Started: Azure accepted it before the bot that started it stopped; job ${job.jobId} is followed here by the next one.`
              : 'Done: Azure finished it after the bot that started it stopped; followed to its end by the next one.';
        const set = { state, outcome, ...(job ? { started_job: JSON.stringify(job) } : {}) };
        if (!(await this.transition(row.id, row.state as ApprovalState, set))) continue;
        interrupted++;
        await this.audit(
          SYSTEM,
          row.platform,
          `approval.${state}`,
          row.target,
          `request ${row.id}: ${outcome}`,
        );
        await this.tell({ id: row.id, state, outcome, ...(job ? { job } : {}) });
        continue;
      }
      const outcome =
        'Interrupted: the bot stopped while this ran, and it was not run again. Check in Azure whether it finished.';
      if (!(await this.transition(row.id, row.state as ApprovalState, { state: 'failed', outcome })))
        continue;
      interrupted++;
      await this.audit(SYSTEM, row.platform, 'approval.failed', row.target, `request ${row.id}: ${outcome}`);
      await this.tell({ id: row.id, state: 'failed', outcome });
    }
    const lapsed = await this.o.db
      .selectFrom('approvals')
      .selectAll()
      .where('state', '=', 'requested')
      .where('expires_at', '<=', now.toISOString())
      .execute();
    let expired = 0;
    for (const row of lapsed) {
      if (!(await this.transition(row.id, 'requested', { state: 'expired' }))) continue;
      expired++;
      await this.audit(SYSTEM, row.platform, 'approval.expired', row.target, `request ${row.id} expired`);
    }
    return { interrupted, expired };
  }

  /** A card not updated now is still right on its next look: the state is on record. */
  private async tell(settled: Settled): Promise<void> {
    await this.o.onSettled?.(settled).catch(() => undefined);
  }

  private async recordOperation(id: string, op: AcceptedOperation): Promise<void> {
    await this.o.db
      .updateTable('approvals')
      .set({ azure_operation: JSON.stringify(op) })
      .where('id', '=', id)
      .where('state', '=', 'executing')
      .execute();
  }

  /** The requester withdraws an open request. */
  async cancel(id: string, user: Requester, platform: string): Promise<Decision> {
    const row = await this.load(id);
    if (!this.isRequester(row, user))
      return { result: 'refused', reason: 'approval.not_requester', request: toRecord(row) };
    const tookEffect = await this.transition(id, 'requested', this.decided('cancelled', user));
    if (tookEffect) {
      await this.audit(user, platform, 'approval.cancelled', row.target, `request ${id} cancelled`);
    }
    return this.decidedNow(id, tookEffect);
  }

  /** Whether `who` is the person who asked, under whichever of their ids. */
  private isRequester(row: Selectable<ApprovalTable>, who: Requester): boolean {
    return this.people.samePerson({ id: row.requested_by_id }, { id: who.id, aliases: who.roleIds ?? [] });
  }

  /** The request as it is on record now. */
  async record(id: string): Promise<ApprovalRecord> {
    return toRecord(await this.load(id));
  }

  /** The request's card as it stands now, for the conversation core (presented by `toApprovalView`). */
  async view(id: string): Promise<ApprovalView> {
    return toApprovalView(await this.record(id));
  }

  private decided(state: ApprovalState, who: Requester) {
    return { state, decided_by_id: who.id, decided_by_name: who.name, decided_at: this.now().toISOString() };
  }

  /** One compare-and-set step; false when another decision got there first. */
  private async transition(
    id: string,
    from: ApprovalState,
    set: Partial<Selectable<ApprovalTable>>,
  ): Promise<boolean> {
    const r = await this.o.db
      .updateTable('approvals')
      .set(set)
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private async load(id: string): Promise<Selectable<ApprovalTable>> {
    const row = await this.o.db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('approval.not_found', `There is no approval request ${id}.`, {
        hint: 'Request ids are on the approval card.',
      });
    }
    return row;
  }

  private audit(
    who: Requester,
    platform: string,
    action: string,
    target: string,
    outcome: string,
  ): Promise<void> {
    return this.o.audit.record({ userId: who.id, userName: who.name, platform, action, target, outcome });
  }
}

function toRecord(r: Selectable<ApprovalTable>): ApprovalRecord {
  const args = JSON.parse(r.args) as { title?: string };
  return {
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
  };
}
