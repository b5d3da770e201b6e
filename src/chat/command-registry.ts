import type { OperationWatch, ChatRequest } from '../domain/index.js';
import type { ApprovalWorkflow, ApprovedRun } from '../approvals/approval-workflow.js';
import type { AuditLog } from '../approvals/audit-log.js';
import type { BackupService } from '../azure/backup-service.js';
import { VERBS } from '../cards/views.js';
import type { Verb } from '../cards/views.js';
import { AppError, isAppError } from '../domain/index.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { toActionData } from './action-data.js';
import type { Reply } from './reply.js';
import type { ChatDefaults, Command, CommandContext } from './command.js';
import type { CommandOutcome } from './command-outcome.js';
import { COMMANDS } from './command-list.js';
import { toErrorView } from './error-view.js';
import { subscriptionQuestion } from './ambiguity.js';
import { clarifyCommand } from './commands/clarify.js';
import { interpretText } from './interpret-text.js';
import { approvedOutcomeLine } from './present-approval-outcome.js';
import { presentOutcome } from './present-outcome.js';
import type { Role, RoleDirectory } from './roles.js';
import type { FleetServices } from '../fleet/fleet-services.js';

export interface CommandRegistryOptions {
  service: BackupService;
  roles: RoleDirectory;
  defaults: ChatDefaults;
  now?: () => Date;
  commands?: readonly Command[];
  logger?: Logger;
  /** The approval workflow for destructive commands; without it they answer "approval required". */
  approvals?: ApprovalWorkflow;
  audit?: AuditLog;
  /** Alert subscriptions and digests, for the fleet commands. */
  fleet?: FleetServices;
  /** Told of every handled request (metrics). */
  onHandled?: (e: { command: string; platform: string; outcome: string }) => void;
}

/** The identity approved actions run under in the audit log: the decision is the approver's. */
const SYSTEM = {
  platform: 'web' as const,
  user: { id: 'system', name: 'backup-chatops' },
  conversationId: 'approvals',
};

/**
 * The one path every channel uses: parse → validate → authorise → (gate destructive actions) →
 * execute → present. It always answers with a view; failures become error views with a stable code.
 */
export class CommandRegistry {
  readonly commands: readonly Command[];
  private readonly now: () => Date;
  private readonly log: Logger;

  constructor(private readonly o: CommandRegistryOptions) {
    this.commands = o.commands ?? COMMANDS;
    this.now = o.now ?? (() => new Date());
    this.log = o.logger ?? silentLogger;
  }

  async handle(request: ChatRequest): Promise<Reply> {
    const started = Date.now();
    let command: Command | undefined;
    let args: unknown;
    try {
      ({ command, args } = this.resolve(request));
      const roles = await this.o.roles.rolesOf(request.user);
      if (!roles.has(command.role)) {
        throw new AppError(
          'auth.forbidden',
          `"${command.title}" needs the ${command.role} role; you have ${[...roles].join(', ') || 'no role'}.`,
          { hint: `Ask an administrator to give you the ${command.role} role.` },
        );
      }
      const ctx = this.context(request, roles);
      const reply =
        command.effect === 'destructive'
          ? await this.requestApproval(command, args, ctx)
          : this.present(await command.execute(args, ctx));
      const fields = { command: command.id, platform: request.platform, ms: Date.now() - started };
      // An outcome presented as an error (a refused decision) is logged as the refusal it is.
      if (reply.view.kind === 'error') this.log.info('command refused', { ...fields, code: reply.view.code });
      else this.log.info('command', fields);
      const outcome = reply.outcome ?? 'ok';
      await this.audit(request, command, args, outcome);
      this.o.onHandled?.({ command: command.id, platform: request.platform, outcome });
      return reply;
    } catch (e) {
      const code = isAppError(e) ? e.code : 'internal.error';
      const fields = {
        command: command?.id ?? 'unknown',
        platform: request.platform,
        code,
        ms: Date.now() - started,
      };
      if (isAppError(e)) this.log.info('command refused', fields);
      else this.log.error('command failed', { ...fields, error: e instanceof Error ? e.stack : String(e) });
      if (command) await this.audit(request, command, args, code);
      this.o.onHandled?.({ command: command?.id ?? 'unknown', platform: request.platform, outcome: code });
      // A vault (or group) in several subscriptions: asked, with a button per subscription.
      const question =
        isAppError(e) && request.text
          ? subscriptionQuestion(request.text, e, command?.effect === 'destructive')
          : undefined;
      if (question)
        return this.present(await clarifyCommand.execute(question, this.context(request, new Set())));
      return { view: toErrorView(e) };
    }
  }

  /**
   * Answers a typed command whose process died before answering it (its placeholder is still up).
   * A read runs again; a write whose command can find what it started in Azure shows that;
   * anything else is never run again, and the answer says it may or may not have happened.
   */
  async recover(request: ChatRequest, startedAt: Date): Promise<Reply> {
    let resolved: { command: Command; args: unknown } | undefined;
    try {
      resolved = this.resolve(request);
      const { command, args } = resolved;
      if (command.effect === 'read') return await this.handle(request);
      const roles = await this.o.roles.rolesOf(request.user);
      if (command.recover && roles.has(command.role)) {
        const outcome = await command.recover(args, this.context(request, roles), startedAt);
        if (outcome) {
          await this.audit(request, command, args, 'recovered');
          return this.present(outcome);
        }
      }
    } catch (e) {
      this.log.warn('command recovery failed', {
        command: resolved?.command.id ?? 'unknown',
        error: e instanceof Error ? e.message : String(e),
      });
    }
    if (resolved) await this.audit(request, resolved.command, resolved.args, 'interrupted');
    const asked = (request.text ?? request.action?.verb ?? '').trim().slice(0, 200);
    return {
      view: {
        kind: 'message',
        tone: 'warning',
        title: 'Interrupted',
        text: `I was restarted while working on "${asked}" and cannot tell whether it happened. Check before asking again, for example with "status of jobs".`,
      },
    };
  }

  /**
   * Runs a destructive command once its request is approved; returns its outcome in words, and
   * the job it started (a restore's), which the approval's card then follows. The
   * plan is read again first: the approver approved what the card showed, and a changed plan
   * (a resource that joined the group, another VM behind the name) is refused, never run.
   */
  async runApproved(
    action: string,
    args: Record<string, unknown>,
    approvedPlan: string[],
    operations?: OperationWatch,
  ): Promise<ApprovedRun> {
    const command = this.commands.find((c) => c.id === action);
    if (!command) throw new AppError('internal.unknown_action', `No command ${action} to run.`);
    const ctx = { ...this.context(SYSTEM, new Set()), ...(operations ? { operations } : {}) };
    if (command.describe && approvedPlan.length > 0) {
      const now = await command.describe(args, ctx);
      const added = now.plan.filter((p) => !approvedPlan.includes(p));
      const gone = approvedPlan.filter((p) => !now.plan.includes(p));
      if (added.length > 0 || gone.length > 0) {
        throw new AppError(
          'approval.plan_changed',
          `Not run: ${now.target} changed since the request was made${added.length ? `; now also ${added.join(', ')}` : ''}${gone.length ? `; no longer ${gone.join(', ')}` : ''}.`,
          { details: { description: now } },
        );
      }
    }
    const outcome = await command.execute(args, ctx);
    const { watch } = this.present(outcome);
    return { outcome: approvedOutcomeLine(outcome), ...(watch ? { job: watch } : {}) };
  }

  private present(outcome: CommandOutcome): Reply {
    return presentOutcome(outcome, { defaults: this.o.defaults, now: this.now() });
  }

  private context(request: ChatRequest, roles: ReadonlySet<Role>): CommandContext {
    return {
      request,
      roles,
      service: this.o.service,
      defaults: this.o.defaults,
      now: this.now,
      commands: this.commands,
      ...(this.o.approvals ? { approvals: this.o.approvals } : {}),
      ...(this.o.audit ? { audit: this.o.audit } : {}),
      ...(this.o.fleet ? { fleet: this.o.fleet } : {}),
    };
  }

  private async requestApproval(command: Command, args: unknown, ctx: CommandContext): Promise<Reply> {
    if (!this.o.approvals || !command.describe) return this.approvalRequired(command);
    const d = await command.describe(args, ctx);
    const request = await this.o.approvals.request({
      action: command.id,
      args: args as Record<string, unknown>,
      title: command.title,
      ...d,
      requester: ctx.request.user,
      platform: ctx.request.platform,
    });
    return this.present({ kind: 'approval-requested', request });
  }

  private async audit(request: ChatRequest, command: Command, args: unknown, outcome: string): Promise<void> {
    if (!this.o.audit) return;
    await this.o.audit
      .record({
        userId: request.user.id,
        userName: request.user.name,
        platform: request.platform,
        action: command.id,
        target: command.targetOf?.(args as never) ?? '',
        outcome,
      })
      .catch((e: unknown) =>
        this.log.error('audit write failed', { error: e instanceof Error ? e.message : String(e) }),
      );
  }

  /** Which command a request is, and its arguments. */
  private resolve(request: ChatRequest): { command: Command; args: unknown } {
    if (request.action) return this.resolveAction(request.action);
    return interpretText(request.text ?? '', this.commands, this.now());
  }

  private resolveAction(action: { verb: string; data: Record<string, unknown> }): {
    command: Command;
    args: unknown;
  } {
    const verb = action.verb as Verb;
    if (!(VERBS as readonly string[]).includes(verb)) {
      throw new AppError(
        'validation.action',
        `This card button ("${String(action.verb).slice(0, 40)}") is not one I know.`,
        {
          hint: 'Type the command instead.',
        },
      );
    }
    const data = toActionData(action.data);
    if (verb === 'command.run') {
      return interpretText(data.text ?? '', this.commands, this.now());
    }
    for (const command of this.commands) {
      const toArgs = command.actions?.[verb];
      if (toArgs) return { command, args: toArgs(data) };
    }
    throw new AppError('validation.action', 'That button does nothing yet.', {
      hint: 'Type the command instead.',
    });
  }

  private approvalRequired(command: Command): Reply {
    return {
      view: {
        kind: 'message',
        tone: 'warning',
        title: 'Approval required',
        text: `"${command.title}" is destructive: it must be approved by a second, authorised person before it runs. The approval workflow is not enabled in this version, so nothing was done.`,
      },
    };
  }
}
