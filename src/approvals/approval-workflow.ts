import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type {
  AcceptedOperation,
  AcceptedOutcome,
  ApprovalRecord,
  ApprovalState,
  Decider,
  Decision,
  OperationWatch,
  RefusalReason,
  StartedJob,
} from '../domain/index.js';
import { AppError, failureOutcome, isAppError, judgeCancel, judgeDecision } from '../domain/index.js';
import { PersonLinks } from '../identity/person-links.js';
import type { Logger } from '../logger.js';
import type { ApprovalCard, ApprovalStep, StoredApproval } from '../store/approval-store.js';
import { ApprovalStore } from '../store/approval-store.js';
import type { Database } from '../store/schema.js';
import type { AuditLog } from './audit-log.js';

/**
 * The approval workflow (DESIGN.md section 5): asks, decides by the rules of domain/approval.ts,
 * runs an approved action in the background and tells how it ended, keeping every step in the
 * store (ApprovalStore, compare-and-set) and the audit log.
 */

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

export interface ApprovalWorkflowOptions {
  db: Kysely<Database>;
  audit: AuditLog;
  /** Where an approved action that failed, or whose end could not be told, is logged. */
  logger: Logger;
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

/** Who the audit names for steps the bot takes by itself. */
const SYSTEM: Requester = { id: 'system', name: 'backup-chatops' };

export class ApprovalWorkflow {
  private readonly now: () => Date;
  private readonly ttlMs: number;
  private readonly people: PersonLinks;
  private readonly store: ApprovalStore;
  /** Approved actions running in the background in this process. */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: ApprovalWorkflowOptions) {
    this.now = o.now ?? (() => new Date());
    this.ttlMs = o.ttlMs ?? 60 * 60_000;
    this.people = o.people ?? new PersonLinks();
    this.store = new ApprovalStore(o.db);
  }

  async request(a: NewApproval): Promise<ApprovalRecord> {
    const id = randomBytes(4).toString('hex');
    const at = this.now();
    await this.store.insert({
      id,
      action: a.action,
      args: { ...a.args, title: a.title },
      target: a.target,
      confirmName: a.confirmName,
      consequences: a.consequences,
      plan: a.plan,
      requester: a.requester,
      platform: a.platform,
      requestedAt: at,
      expiresAt: new Date(at.getTime() + this.ttlMs),
    });
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
    const stored = await this.load(id);
    const { record } = stored;
    const verdict = judgeDecision(
      { ...record, requesterId: stored.requesterId },
      {
        decision,
        decider: asDecider(decider),
        ...(confirmName !== undefined ? { confirmName } : {}),
        now: this.now(),
        samePerson: (a, b) => this.people.samePerson(a, b),
      },
    );
    if (verdict.verdict === 'closed') return { result: 'decided', request: record, tookEffect: false };
    if (verdict.verdict === 'refuse') {
      if (verdict.reason === 'approval.expired') await this.store.move(id, 'requested', { state: 'expired' });
      await this.audit(decider, platform, `approval.${decision}`, record.target, REFUSED[verdict.reason](id));
      return this.refused(verdict.reason, id);
    }
    // Compare-and-set: of concurrent decisions exactly one moves the request on.
    const tookEffect = await this.store.move(id, 'requested', this.decided(verdict.to, decider));
    if (!tookEffect) return this.decidedNow(id, false);
    await this.audit(
      decider,
      platform,
      `approval.${verdict.to}`,
      record.target,
      `request ${id} ${verdict.to}`,
    );
    if (verdict.to === 'rejected') return this.decidedNow(id, true);
    if (!(await this.store.move(id, 'approved', { state: 'executing' }))) return this.decidedNow(id, true);
    // The approver's click returns now; the action runs in the background and its end is told to
    // onSettled, which shows it on the card. A crash meanwhile leaves `executing` for the sweep.
    const run = this.execute(stored, decider, platform)
      .catch((e: unknown) => this.settleBroken(stored, decider, platform, e))
      .then((settled) => settled && this.tell(settled))
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
  private async execute(stored: StoredApproval, decider: Requester, platform: string): Promise<Settled> {
    const { record, args } = stored;
    const { id } = record;
    let state: Settled['state'] = 'executed';
    let outcome: string;
    let job: StartedJob | undefined;
    try {
      ({ outcome, job } = await this.o.run(record.action, args, stored.plan, {
        // Recorded before it is followed: a process that dies now leaves the next one a trail.
        onAccepted: (op) => this.store.recordOperation(id, op),
      }));
    } catch (e) {
      state = 'failed';
      outcome = failureOutcome(id, isAppError(e) ? e : undefined);
      if (!isAppError(e)) {
        this.o.logger.error('approved action failed unexpectedly', {
          approvalId: id,
          action: record.action,
          error: e instanceof Error ? e.message : String(e),
        });
      } else if (e.code !== 'approval.plan_changed') {
        this.o.logger.warn('approved action failed', { approvalId: id, action: record.action, code: e.code });
      } else {
        // What was approved is not what would run: nothing ran, and the new plan is proposed for a
        // new approval on the same card, by the same requester.
        await this.store.move(id, 'executing', { state, outcome });
        await this.audit(decider, platform, 'approval.failed', record.target, `request ${id}: ${outcome}`);
        const changed = e.details.description as ChangedPlan;
        const next = await this.request({
          action: record.action,
          args,
          title: record.title,
          ...changed,
          consequences: [
            `⚠️ ${e.message} This is a new request (the one approved was ${id}).`,
            ...changed.consequences,
          ],
          requester: { id: stored.requesterId, name: record.requestedBy },
          platform: stored.platform,
        });
        return { id, state, outcome, reproposed: next.id };
      }
    }
    await this.store.move(id, 'executing', { state, outcome, ...(job ? { startedJob: job } : {}) });
    await this.audit(decider, platform, `approval.${state}`, record.target, `request ${id}: ${outcome}`);
    return { id, state, outcome, ...(job ? { job } : {}) };
  }

  /**
   * The background run broke outside the action (its end could not be recorded or audited, or a
   * changed plan not re-proposed): logged, and a request still `executing` is marked failed so its
   * card does not say "running" until the sweep. Undefined when nothing could be recorded.
   */
  private async settleBroken(
    stored: StoredApproval,
    decider: Requester,
    platform: string,
    e: unknown,
  ): Promise<Settled | undefined> {
    const { id, target } = stored.record;
    const error = e instanceof Error ? e.message : String(e);
    this.o.logger.error('approved action broke before its end was recorded', { approvalId: id, error });
    const outcome = `${failureOutcome(id)} Check in Azure whether it ran.`;
    try {
      if (!(await this.store.move(id, 'executing', { state: 'failed', outcome }))) {
        const now = await this.record(id);
        return now.state === 'executed' || now.state === 'failed'
          ? { id, state: now.state, outcome: now.outcome ?? '' }
          : undefined;
      }
      await this.audit(decider, platform, 'approval.failed', target, `request ${id}: ${outcome}`);
      return { id, state: 'failed', outcome };
    } catch (again) {
      this.o.logger.error('approval could not be marked failed; the sweep closes it', {
        approvalId: id,
        error: again instanceof Error ? again.message : String(again),
      });
      return undefined;
    }
  }

  /** Records where the approval's card is (the newest one shown); its outcome is shown there. */
  attachCard(id: string, card: ApprovalCard): Promise<void> {
    return this.store.attachCard(id, card);
  }

  /** The job the approved action started, once it ran. */
  startedJob(id: string): Promise<StartedJob | undefined> {
    return this.store.startedJob(id);
  }

  cardOf(id: string): Promise<ApprovalCard | undefined> {
    return this.store.cardOf(id);
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
    const stale = await this.store.staleRuns(new Date(now.getTime() - staleMs));
    let interrupted = 0;
    for (const { record, platform, operation: op } of stale) {
      const step = op && this.o.follow ? await this.followed(op, this.o.follow) : interruptedStep();
      if (!step) continue;
      if (!(await this.store.move(record.id, record.state, step))) continue;
      interrupted++;
      const outcome = step.outcome ?? '';
      await this.audit(
        SYSTEM,
        platform,
        `approval.${step.state}`,
        record.target,
        `request ${record.id}: ${outcome}`,
      );
      const job = step.startedJob;
      await this.tell({
        id: record.id,
        state: step.state as Settled['state'],
        outcome,
        ...(job ? { job } : {}),
      });
    }
    let expired = 0;
    for (const { record, platform } of await this.store.lapsed(now)) {
      if (!(await this.store.move(record.id, 'requested', { state: 'expired' }))) continue;
      expired++;
      await this.audit(SYSTEM, platform, 'approval.expired', record.target, `request ${record.id} expired`);
    }
    return { interrupted, expired };
  }

  /** How a recorded Azure operation ended, as the step that closes its request; undefined while it runs. */
  private async followed(
    op: AcceptedOperation,
    follow: (op: AcceptedOperation) => Promise<AcceptedOutcome>,
  ): Promise<ApprovalStep | undefined> {
    // Not read now is not known: the request is left for the next sweep.
    const now = await follow(op).catch((e: unknown): AcceptedOutcome => {
      this.o.logger.warn('Azure operation of an approved action not read; the next sweep tries again', {
        operation: op.kind,
        error: e instanceof Error ? e.message : String(e),
      });
      return { state: 'running' };
    });
    if (now.state === 'running') return undefined;
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
    return {
      state: now.state === 'succeeded' ? 'executed' : 'failed',
      outcome,
      ...(job ? { startedJob: job } : {}),
    };
  }

  /** Tells how a request ended. A card not updated now is still right on its next look: the state is on record. */
  private async tell(settled: Settled): Promise<void> {
    await this.o.onSettled?.(settled).catch((e: unknown) =>
      this.o.logger.warn('approval outcome not shown on its card', {
        approvalId: settled.id,
        state: settled.state,
        error: e instanceof Error ? e.message : String(e),
      }),
    );
  }

  /** The requester withdraws an open request. */
  async cancel(id: string, user: Requester, platform: string): Promise<Decision> {
    const stored = await this.load(id);
    const verdict = judgeCancel(
      { ...stored.record, requesterId: stored.requesterId },
      asDecider(user),
      (a, b) => this.people.samePerson(a, b),
    );
    if (verdict.verdict === 'refuse')
      return { result: 'refused', reason: verdict.reason, request: stored.record };
    const tookEffect = await this.store.move(id, 'requested', this.decided('cancelled', user));
    if (tookEffect) {
      await this.audit(user, platform, 'approval.cancelled', stored.record.target, `request ${id} cancelled`);
    }
    return this.decidedNow(id, tookEffect);
  }

  /** The request as it is on record now (its card: `toApprovalView` in cards/). */
  async record(id: string): Promise<ApprovalRecord> {
    return (await this.load(id)).record;
  }

  private decided(state: ApprovalState, who: Requester): ApprovalStep {
    return { state, decidedBy: who, decidedAt: this.now() };
  }

  private async load(id: string): Promise<StoredApproval> {
    const stored = await this.store.find(id);
    if (!stored) {
      throw new AppError('approval.not_found', `There is no approval request ${id}.`, {
        hint: 'Request ids are on the approval card.',
      });
    }
    return stored;
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

/** What the audit says of a refused decision. */
const REFUSED: Record<RefusalReason, (id: string) => string> = {
  'approval.expired': (id) => `refused: request ${id} expired`,
  'approval.self': (id) => `refused: own request ${id}`,
  'approval.name_mismatch': (id) => `refused: typed name did not match (request ${id})`,
  'approval.not_requester': (id) => `refused: not the requester of ${id}`,
};

function asDecider(who: Requester): Decider {
  return { id: who.id, aliases: who.roleIds ?? [] };
}

function interruptedStep(): ApprovalStep {
  return {
    state: 'failed',
    outcome:
      'Interrupted: the bot stopped while this ran, and it was not run again. Check in Azure whether it finished.',
  };
}
