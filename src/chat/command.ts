import type { OperationWatch, ChatRequest } from '../domain/index.js';
import type { ApprovalWorkflow } from '../approvals/approval-workflow.js';
import type { AuditLog } from '../approvals/audit-log.js';
import type { BackupService } from '../azure/backup-service.js';
import type { Verb } from '../cards/views.js';
import type { CommandOutcome } from './command-outcome.js';
import type { Role } from './roles.js';
import type { FleetServices } from '../fleet/fleet-services.js';

/** Settings the commands need besides the backup service. */
export interface ChatDefaults {
  subscriptionId: string;
  vaultName: string;
  vaultResourceGroup: string;
  /** Link jobs to the Azure portal (off for the sandbox, whose jobs the portal does not know). */
  portalLinks: boolean;
}

export interface CommandContext {
  request: ChatRequest;
  roles: ReadonlySet<Role>;
  service: BackupService;
  defaults: ChatDefaults;
  now: () => Date;
  /** The registry's command list, for help. */
  commands: readonly Command[];
  approvals?: ApprovalWorkflow;
  audit?: AuditLog;
  /** An approved action's run: told of the Azure operation it starts, before it is followed. */
  operations?: OperationWatch;
  /** Alert subscriptions and digests (the fleet commands); absent, they answer "not available". */
  fleet?: FleetServices;
}

/** What an approver must know before a destructive command runs. */
export interface DestructiveDescription {
  target: string;
  /** The exact name the approver types (the VM's, the resource group's). */
  confirmName: string;
  /** What will happen and what is lost, one line each. */
  consequences: string[];
  /**
   * What exactly is acted on, one fact a line (a resource group's resources, the item's VM id):
   * read again when the approved action runs, which is refused and re-proposed if it changed.
   */
  plan: string[];
}

/** Card button data, already checked to be strings at the boundary. */
export type ActionData = Record<string, string>;

/** What an argument names: a command whose one required argument is a VM is offered for a bare VM name. */
export type ArgumentKind =
  | 'vm'
  | 'vault'
  | 'policy'
  | 'name'
  | 'region'
  | 'resource-group'
  | 'retention'
  | 'job-filter'
  | 'policy-spec'
  | 'point'
  | 'restore-target'
  | 'job-id'
  | 'request-id'
  | 'topic'
  | 'count'
  /** The subscription phrase (phrases/subscription-phrase.ts), read for the command by the interpreter. */
  | 'subscription';

/** One argument as its command declares it (hubot's command bus is the model). */
export interface ArgumentSpec {
  name: string;
  kind: ArgumentKind;
  required: boolean;
  /** How it is typed, with placeholders: "<vm>", "keep until <date> | for <n> days", "in vault <vault>". */
  says: string;
}

/**
 * A command is a declaration (STYLE.md principle 3): what it is called, how it is typed, who may
 * run it, what it changes, and its handler. The registry builds help, did-you-mean, authorisation
 * and the approval gate from these fields. The handler, `execute`, returns what happened as a typed
 * outcome; the registry presents it (`presentOutcome`), so no command builds a view.
 */
export interface Command<A = unknown, O extends CommandOutcome = CommandOutcome> {
  id: string;
  title: string;
  summary: string;
  examples: string[];
  role: Role;
  /** `destructive` commands go through approvals instead of running at once. */
  effect: 'read' | 'write' | 'destructive';
  /** Leading words of the command, for "did you mean" and for completing a half-said command. */
  keywords: string[];
  /**
   * How the command is typed with its required arguments as `<name>` placeholders ("backup <vm>
   * now"); help appends the optional ones, and questions fill the placeholders in to offer it.
   */
  usage: string;
  /** Its arguments, required and optional, in the order help shows them. */
  args: ArgumentSpec[];
  /** Reads typed text; undefined when the text is not this command; throws AppError on bad arguments. */
  parse(text: string, now: Date): A | undefined;
  /** Card buttons that run this command, their data turned into arguments. */
  actions?: Partial<Record<Verb, (data: ActionData) => A>>;
  /** Does the work (reads, or calls Azure) and says what happened, in domain and service terms. */
  execute(args: A, ctx: CommandContext): Promise<O>;
  /** Destructive commands: what the approval card says (read from Azure at request time). */
  describe?(args: A, ctx: CommandContext): Promise<DestructiveDescription>;
  /** A short name of what the command acts on, for the audit log. */
  targetOf?(args: A): string;
  /**
   * Write commands: what this command started since `since`, found in Azure, when the process
   * answering it died mid-way (undefined: nothing found). Never runs the command again.
   */
  recover?(args: A, ctx: CommandContext, since: Date): Promise<O | undefined>;
}

/**
 * Commands have different argument types; the registry holds them side by side. The cast is safe:
 * a command's `execute` only ever receives what its own `parse` or `actions` produced.
 */
export function defineCommand<A, O extends CommandOutcome = CommandOutcome>(command: Command<A, O>): Command {
  return command as unknown as Command;
}
