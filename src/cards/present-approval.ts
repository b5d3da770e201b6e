import type { ApprovalRecord } from '../domain/index.js';
import { formatTime } from './card-format.js';
import { presentActions } from './card-actions.js';
import type { ApprovalView } from './views.js';

/** A request as it is on record → its card's view (the card names the command by its title). */
export function toApprovalView(r: ApprovalRecord): ApprovalView {
  const { title, action: _id, ...rest } = r;
  return { kind: 'approval', ...rest, action: title };
}

/** How each state of the approval state machine (STYLE.md principle 8) heads the card. */
const HEADING: Record<ApprovalView['state'], { text: string; color: string }> = {
  requested: { text: '🔐 Approval needed', color: 'Warning' },
  approved: { text: '✅ Approved', color: 'Good' },
  executing: { text: '⏳ Approved, running', color: 'Accent' },
  executed: { text: '✅ Approved and done', color: 'Good' },
  failed: { text: '❌ Approved, but it failed', color: 'Attention' },
  rejected: { text: '🚫 Rejected', color: 'Default' },
  expired: { text: '⌛ Expired', color: 'Default' },
  cancelled: { text: '🚫 Cancelled', color: 'Default' },
};

/**
 * A destructive request: who asked, what happens and what is lost, until when. While open, the
 * approver types the item's name (as the portal's confirmation dialog asks) and decides; after,
 * the card records who decided, when, and the outcome, with no buttons left to press.
 */
export function presentApproval(v: ApprovalView) {
  const open = v.state === 'requested';
  const heading = HEADING[v.state];
  return {
    title: `${heading.text}: ${v.action}`,
    color: heading.color,
    facts: [
      { title: 'Action', value: v.action },
      { title: 'Target', value: v.target },
      { title: 'Asked by', value: `${v.requestedBy}, ${formatTime(v.requestedAt)}` },
      { title: v.state === 'expired' ? 'Expired' : 'Expires', value: formatTime(v.expiresAt) },
      ...(v.decidedBy || v.decidedAt
        ? [{ title: 'Decided by', value: `${v.decidedBy ?? '—'}, ${formatTime(v.decidedAt)}` }]
        : []),
      ...(v.outcome ? [{ title: 'Outcome', value: v.outcome }] : []),
      { title: 'Request', value: v.id },
    ],
    consequences: v.consequences,
    open,
    confirmLabel: `Type ${v.confirmName} to approve`,
    confirmError: `Type ${v.confirmName} exactly to approve.`,
    approvalId: v.id,
    // Approve sends the typed name; anyone may press Cancel, which only the requester can do.
    actions: presentActions(
      open
        ? [
            {
              verb: 'approval.approve',
              title: 'Approve',
              data: { approvalId: v.id },
              style: 'destructive',
              input: 'confirmName',
            },
            { verb: 'approval.reject', title: 'Reject', data: { approvalId: v.id } },
            { verb: 'approval.cancel', title: 'Cancel request', data: { approvalId: v.id } },
          ]
        : [],
    ),
  };
}
