import { AppError } from '../../domain/index.js';
import { requiredField } from '../action-data.js';
import { defineCommand } from '../command.js';

/**
 * approve / reject / audit are part of the grammar now so that they parse and show in help; the
 * approval workflow and audit log (src/approvals/) decide them once they exist.
 */
const ID = /^[\w-]{4,64}$/;

function parseDecision(
  verb: 'approve' | 'reject',
  text: string,
): { id: string; confirmName?: string } | undefined {
  const m = new RegExp(
    `^(?:${verb}|${verb === 'approve' ? 'accept|ok|allow' : 'deny|decline|refuse'})\\s+(?:request\\s+)?(\\S+)(?:\\s+(.+))?$`,
    'i',
  ).exec(text);
  if (!m) return undefined;
  if (!ID.test(m[1]!)) {
    throw new AppError('validation.approval_id', `"${m[1]!.slice(0, 40)}" is not an approval request id.`, {
      hint: `${verb} <request id>${verb === 'approve' ? ' <name of the resource>' : ''}`,
    });
  }
  return { id: m[1]!, confirmName: m[2] };
}

function noSuchRequest(id: string): AppError {
  return new AppError('approval.not_found', `There is no pending approval request ${id}.`, {
    hint: 'Destructive requests are not recorded yet in this version, so there is nothing to decide.',
  });
}

export const approveCommand = defineCommand<{ id: string; confirmName?: string }>({
  id: 'approval.approve',
  title: 'Approve a request',
  summary: 'Approves someone else’s destructive request; type the resource’s name to confirm.',
  examples: ['approve 7f3a2c resource-name'],
  role: 'approver',
  effect: 'write',
  keywords: ['approve'],
  parse: (text) => parseDecision('approve', text),
  actions: {
    'approval.approve': (d) => ({
      id: requiredField(d, 'approvalId'),
      ...(d.confirmName ? { confirmName: d.confirmName } : {}),
    }),
  },
  async run({ id }) {
    throw noSuchRequest(id);
  },
});

export const rejectCommand = defineCommand<{ id: string }>({
  id: 'approval.reject',
  title: 'Reject a request',
  summary: 'Rejects a destructive request.',
  examples: ['reject 7f3a2c'],
  role: 'approver',
  effect: 'write',
  keywords: ['reject'],
  parse: (text) => parseDecision('reject', text),
  actions: { 'approval.reject': (d) => ({ id: requiredField(d, 'approvalId') }) },
  async run({ id }) {
    throw noSuchRequest(id);
  },
});

export const auditCommand = defineCommand<Record<string, never>>({
  id: 'audit',
  title: 'Audit log',
  summary: 'Who asked for what, and what happened.',
  examples: ['audit'],
  role: 'reader',
  effect: 'read',
  keywords: ['audit', 'audit log'],
  parse: (text) => (/^(?:show\s+)?(?:the\s+)?audit(?:\s+log)?\b/i.test(text) ? {} : undefined),
  async run() {
    return {
      view: {
        kind: 'message',
        tone: 'info',
        title: 'Audit log',
        text: 'The audit log is not recorded yet in this version: it arrives with the approval workflow.',
      },
    };
  },
});
