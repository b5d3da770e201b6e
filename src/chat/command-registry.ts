import type { BackupService } from '../azure/backup-service.js';
import { VERBS } from '../cards/views.js';
import type { Verb } from '../cards/views.js';
import { AppError, isAppError } from '../domain/index.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { toActionData } from './action-data.js';
import type { ChatRequest, Reply } from './chat-request.js';
import type { ChatDefaults, Command, CommandContext } from './command.js';
import { COMMANDS } from './command-list.js';
import { toErrorView } from './error-view.js';
import { interpretText } from './interpret-text.js';
import type { RoleDirectory } from './roles.js';

export interface CommandRegistryOptions {
  service: BackupService;
  roles: RoleDirectory;
  defaults: ChatDefaults;
  now?: () => Date;
  commands?: readonly Command[];
  logger?: Logger;
}

/**
 * The one path every channel uses: parse → validate → authorise → (gate destructive actions) →
 * run. It always answers with a view; failures become error views with a stable code.
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
    let commandId = 'unknown';
    try {
      const { command, args } = this.resolve(request);
      commandId = command.id;
      const roles = this.o.roles.rolesOf(request.user.id);
      if (!roles.has(command.role)) {
        throw new AppError(
          'auth.forbidden',
          `"${command.title}" needs the ${command.role} role; you have ${[...roles].join(', ') || 'no role'}.`,
          { hint: `Ask an administrator to give you the ${command.role} role.` },
        );
      }
      if (command.effect === 'destructive') return this.approvalRequired(command);
      const ctx: CommandContext = {
        request,
        roles,
        service: this.o.service,
        defaults: this.o.defaults,
        now: this.now,
        commands: this.commands,
      };
      const reply = await command.run(args, ctx);
      this.log.info('command', { command: commandId, platform: request.platform, ms: Date.now() - started });
      return reply;
    } catch (e) {
      const code = isAppError(e) ? e.code : 'internal.error';
      const fields = { command: commandId, platform: request.platform, code, ms: Date.now() - started };
      if (isAppError(e)) this.log.info('command refused', fields);
      else this.log.error('command failed', { ...fields, error: e instanceof Error ? e.stack : String(e) });
      return { view: toErrorView(e) };
    }
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
