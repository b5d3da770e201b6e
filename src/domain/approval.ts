/**
 * Destructive actions never run on one person's word (Azure's Multi-User Authorization as the
 * standard). A request moves through a persisted state machine
 *   requested → approved | rejected | expired | cancelled;  approved → executing → executed | failed
 * whose every step is a compare-and-set from the state it was read in, so a double click or two
 * approvers at once move it on once. These are the rules; storing and running live above.
 */
export type ApprovalState =
  'requested' | 'approved' | 'rejected' | 'expired' | 'cancelled' | 'executing' | 'executed' | 'failed';

/**
 * Where each state may go. `approved` may end without `executing` only in the sweep, which closes
 * a request its process stopped running (followed to its real outcome, or marked failed).
 */
const NEXT: Record<ApprovalState, readonly ApprovalState[]> = {
  requested: ['approved', 'rejected', 'expired', 'cancelled'],
  approved: ['executing', 'executed', 'failed'],
  executing: ['executed', 'failed'],
  executed: [],
  failed: [],
  rejected: [],
  expired: [],
  cancelled: [],
};

/** Whether the state machine allows the step; a store's compare-and-set only ever makes these. */
export function canMove(from: ApprovalState, to: ApprovalState): boolean {
  return NEXT[from].includes(to);
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
  /** What will happen and what is lost, one line each. */
  consequences: string[];
  /** The exact name the approver must type. */
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

/** A person as a decision names them: their id and the other ids the platform gave for them. */
export interface Decider {
  id: string;
  aliases: readonly string[];
}

/** Whether two ids are one person (the deployment's identity links decide; see identity/). */
export type SamePerson = (requester: { id: string }, decider: Decider) => boolean;

/** What is asked of an open request, and what the rules need to judge it. */
export interface DecisionAsked {
  decision: 'approve' | 'reject';
  decider: Decider;
  /** The name the approver typed (approve only). */
  confirmName?: string;
  now: Date;
  samePerson: SamePerson;
}

/** The request as the rules see it: its state, its expiry, who asked and the name to type. */
export interface DecidableRequest {
  state: ApprovalState;
  expiresAt: string;
  requesterId: string;
  confirmName: string;
}

/**
 * How the rules answer a decision: `closed` — the request is no longer open, so the decision
 * changes nothing; `refuse` — it may not be decided this way (an expired one is also to be marked
 * `expired`); `move` — try the compare-and-set from `requested` to `to`.
 */
export type Verdict =
  | { verdict: 'closed' }
  | { verdict: 'refuse'; reason: RefusalReason }
  | { verdict: 'move'; to: 'approved' | 'rejected' };

/**
 * The rules of deciding, in order: only an open request is decided; past its expiry it is not;
 * nobody decides their own request, under any of their ids; approving needs the exact name typed.
 */
export function judgeDecision(r: DecidableRequest, asked: DecisionAsked): Verdict {
  if (r.state !== 'requested') return { verdict: 'closed' };
  if (isExpired(r, asked.now)) return { verdict: 'refuse', reason: 'approval.expired' };
  if (asked.samePerson({ id: r.requesterId }, asked.decider))
    return { verdict: 'refuse', reason: 'approval.self' };
  if (asked.decision === 'reject') return { verdict: 'move', to: 'rejected' };
  if ((asked.confirmName ?? '').trim() !== r.confirmName)
    return { verdict: 'refuse', reason: 'approval.name_mismatch' };
  return { verdict: 'move', to: 'approved' };
}

/** Only the requester withdraws their request (under any of their ids). */
export function judgeCancel(
  r: DecidableRequest,
  who: Decider,
  samePerson: SamePerson,
): { verdict: 'refuse'; reason: 'approval.not_requester' } | { verdict: 'move'; to: 'cancelled' } {
  return samePerson({ id: r.requesterId }, who)
    ? { verdict: 'move', to: 'cancelled' }
    : { verdict: 'refuse', reason: 'approval.not_requester' };
}

/** A request can be decided until its expiry, not at it. */
export function isExpired(r: { expiresAt: string }, now: Date): boolean {
  return Date.parse(r.expiresAt) <= now.getTime();
}

/**
 * The outcome an approved action's failure shows: a coded error's message, written for people; an
 * unexpected error's own text only goes to the log (it may carry a URL or worse), under the id.
 */
export function failureOutcome(approvalId: string, coded?: { code: string; message: string }): string {
  if (coded) return `${coded.message} (${coded.code})`;
  return `The action failed unexpectedly; the error is in the bot's log under approval ${approvalId}.`;
}

/** An Azure job an approved action started, to follow on the approval's card (a restore's). */
export interface StartedJob {
  jobId: string;
  vaultName: string;
  resourceGroup: string;
}
