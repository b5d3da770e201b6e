import type { ApprovalWorkflow } from '../../approvals/approval-workflow.js';
import type { Decision } from '../../domain/index.js';
import type { CommandOutcome } from '../command-outcome.js';
import { AppError } from '../../domain/index.js';
import { requiredField } from '../action-data.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';

/** approve / reject / cancel decide a destructive request through the approval workflow. */
const ID = /^[\w-]{4,64}$/;

function parseDecision(
  verbs: string,
  usage: string,
  text: string,
): { id: string; confirmName?: string } | undefined {
  const m = new RegExp(`^(?:${verbs})\\s+(?:the\\s+)?(?:request\\s+)?(\\S+)(?:\\s+(.+))?$`, 'i').exec(text);
  if (!m) return undefined;
  if (!ID.test(m[1]!)) {
    throw new AppError('validation.approval_id', `"${m[1]!.slice(0, 40)}" is not an approval request id.`, {
      hint: usage,
    });
  }
  return { id: m[1]!, ...(m[2] ? { confirmName: m[2].trim() } : {}) };
}

function decided(decision: Decision): CommandOutcome {
  return { kind: 'approval-decided', decision };
}

function workflow(ctx: CommandContext): ApprovalWorkflow {
  if (!ctx.approvals) throw new AppError('approval.unavailable', 'The approval workflow is not enabled.');
  return ctx.approvals;
}

export const approveCommand = defineCommand<{ id: string; confirmName?: string }>({
  id: 'approval.approve',
  title: 'Approve a request',
  summary: 'Approves someone else’s destructive request; type the resource’s name to confirm.',
  examples: ['approve 7f3a2c1b myVM'],
  role: 'approver',
  effect: 'write',
  keywords: ['approve'],
  usage: 'approve <request> <name>',
  args: [
    { name: 'id', kind: 'request-id', required: true, says: '<request>' },
    { name: 'confirmName', kind: 'name', required: true, says: '<name>' },
  ],
  parse: (text) => parseDecision('approve|accept|allow', 'approve <request id> <name of the resource>', text),
  actions: {
    'approval.approve': (d) => ({
      id: requiredField(d, 'approvalId'),
      ...(d.confirmName ? { confirmName: d.confirmName } : {}),
    }),
  },
  targetOf: (a) => a.id,
  async execute({ id, confirmName }, ctx) {
    return decided(
      await workflow(ctx).decide(id, ctx.request.user, ctx.request.platform, 'approve', confirmName),
    );
  },
});

export const rejectCommand = defineCommand<{ id: string }>({
  id: 'approval.reject',
  title: 'Reject a request',
  summary: 'Rejects a destructive request.',
  examples: ['reject 7f3a2c1b'],
  role: 'approver',
  effect: 'write',
  keywords: ['reject'],
  usage: 'reject <request>',
  args: [{ name: 'id', kind: 'request-id', required: true, says: '<request>' }],
  parse: (text) => parseDecision('reject|deny|decline|refuse', 'reject <request id>', text),
  actions: { 'approval.reject': (d) => ({ id: requiredField(d, 'approvalId') }) },
  targetOf: (a) => a.id,
  async execute({ id }, ctx) {
    return decided(await workflow(ctx).decide(id, ctx.request.user, ctx.request.platform, 'reject'));
  },
});

export const cancelCommand = defineCommand<{ id: string }>({
  id: 'approval.cancel',
  title: 'Cancel a request',
  summary: 'Withdraws your own destructive request before anyone decides it.',
  examples: ['cancel 7f3a2c1b'],
  role: 'operator',
  effect: 'write',
  keywords: ['cancel'],
  usage: 'cancel <request>',
  args: [{ name: 'id', kind: 'request-id', required: true, says: '<request>' }],
  parse: (text) => parseDecision('cancel|withdraw', 'cancel <request id>', text),
  actions: { 'approval.cancel': (d) => ({ id: requiredField(d, 'approvalId') }) },
  targetOf: (a) => a.id,
  async execute({ id }, ctx) {
    return decided(await workflow(ctx).cancel(id, ctx.request.user, ctx.request.platform));
  },
});

export const auditCommand = defineCommand<{ limit: number; target?: string }>({
  id: 'audit',
  title: 'Audit log',
  summary: 'Who asked for what, who decided, and what happened in Azure.',
  examples: ['audit', 'audit last 50', 'audit for myVM'],
  role: 'reader',
  effect: 'read',
  keywords: ['audit', 'audit log'],
  usage: 'audit',
  args: [
    { name: 'limit', kind: 'count', required: false, says: 'last <n>' },
    { name: 'target', kind: 'name', required: false, says: 'for <name>' },
  ],
  parse(text) {
    const m =
      /^(?:(?:show|list|get|check|view)\s+)?(?:the\s+)?(?:audit(?:\s+(?:log|trail))?|who\s+did\s+what)(?:\s+(?:last\s+)?(\d+))?(?:\s+(?:for|of|on)\s+(\S+))?(?:\s+(?:last\s+)?(\d+))?$/i.exec(
        text,
      );
    if (!m) return undefined;
    const limit = Number(m[1] ?? m[3] ?? 20);
    if (limit < 1 || limit > 200)
      throw new AppError('validation.audit', 'Ask for 1 to 200 audit entries.', { hint: 'audit last 50' });
    return { limit, ...(m[2] ? { target: m[2] } : {}) };
  },
  async execute({ limit, target }, ctx) {
    if (!ctx.audit) throw new AppError('audit.unavailable', 'The audit log is not enabled.');
    const entries = await ctx.audit.list({ limit, ...(target ? { target } : {}) });
    return { kind: 'audit-listed', entries, ...(target ? { target } : {}) };
  },
});
