import type { ApprovalRecord, Decision, RefusalReason } from '../domain/index.js';
import type { AuditEntry } from '../approvals/audit-log.js';
import { toApprovalView } from '../cards/present-approval.js';
import type { ApprovalView, MessageView } from '../cards/views.js';
import { AppError } from '../domain/index.js';
import type { Reply } from './reply.js';
import { NO_EFFECT } from './reply.js';
import type { CommandOutcome } from './command-outcome.js';
import { toErrorView } from './error-view.js';

/** Approvals and the audit log in words: requests, decisions, refusals, an approved action's outcome. */

export function presentApprovalRequest(r: ApprovalRecord): ApprovalView {
  return toApprovalView(r);
}

/**
 * A decision shows the request's card as it now stands; one that changed nothing is audited as
 * such, not as "ok"; a refusal is an error card with its stable code, audited by that code.
 */
export function presentDecision(d: Decision): Reply {
  if (d.result === 'decided') {
    const view = toApprovalView(d.request);
    return d.tookEffect ? { view } : { view, outcome: NO_EFFECT };
  }
  return { view: toErrorView(refusalError(d.reason, d.request)), outcome: d.reason };
}

function refusalError(reason: RefusalReason, r: ApprovalRecord): AppError {
  switch (reason) {
    case 'approval.expired':
      return new AppError(
        reason,
        `Request ${r.id} expired at ${r.expiresAt}; it can no longer be approved.`,
        {
          hint: 'Ask again if the action is still needed.',
        },
      );
    case 'approval.self':
      return new AppError(reason, 'You asked for this, so someone else must decide it.', {
        hint: 'Another approver has to approve or reject it.',
      });
    case 'approval.name_mismatch':
      return new AppError(reason, `To approve, type the name exactly: ${r.confirmName}.`, {
        hint: `approve ${r.id} ${r.confirmName}`,
      });
    case 'approval.not_requester':
      return new AppError(reason, 'Only the person who asked can cancel this request.');
  }
}

export function presentAuditEntries(entries: AuditEntry[], target: string | undefined): MessageView {
  return {
    kind: 'message',
    tone: 'info',
    title: `Audit log${target ? ` · ${target}` : ''}`,
    text:
      entries.length === 0
        ? 'Nothing recorded yet.'
        : `The last ${entries.length} entries, newest first (times in UTC).`,
    facts: entries.map((e) => ({
      title: `${e.at.slice(0, 16).replace('T', ' ')} ${e.userName}`,
      value: `${e.action}${e.target ? ` ${e.target}` : ''} → ${e.outcome} (${e.platform})`,
    })),
  };
}

/** The one line an approval card shows as the outcome of the approved action it ran. */
export function approvedOutcomeLine(outcome: CommandOutcome): string {
  switch (outcome.kind) {
    case 'backup-stopped':
      return outcome.result.deletedData
        ? `Backup of ${outcome.result.vmName} stopped and its data deleted.`
        : `Backup of ${outcome.result.vmName} stopped.`;
    case 'job-started':
      return `${outcome.job.operation} job ${outcome.job.id} started; follow it with "job ${outcome.job.id}".`;
    case 'resource-group-deleted':
      return `Resource group ${outcome.name} was deleted.`;
    case 'approval-decided':
      if (outcome.decision.result === 'refused')
        throw refusalError(outcome.decision.reason, outcome.decision.request);
      return 'Done.';
    default:
      return 'Done.';
  }
}
