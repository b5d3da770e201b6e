import type { Kysely } from 'kysely';
import { ApprovalWorkflow } from '../approvals/approval-workflow.js';
import type { AuditLog } from '../approvals/audit-log.js';
import type { BackupService } from '../azure/backup-service.js';
import { onBudgetHold } from '../azure/request-budget-scheduler.js';
import type { ChatDefaults } from '../chat/command.js';
import { CommandRegistry } from '../chat/command-registry.js';
import type { RoleDirectory } from '../chat/roles.js';
import { ApprovalCards } from '../conversation/approval-cards.js';
import type { ChatUser } from '../domain/index.js';
import type { FleetServices } from '../fleet/fleet-services.js';
import { PersonLinks } from '../identity/person-links.js';
import type { WatchSink } from '../jobs/job-watcher.js';
import { JobWatcher } from '../jobs/job-watcher.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { LearntDurationStore } from '../store/learnt-duration-store.js';
import type { Database } from '../store/schema.js';
import { VaultLeases } from '../store/vault-leases.js';
import type { StoreDialect } from '../store/open-database.js';
import type { WatchStore } from '../store/watch-store.js';
import type { Channels, ChannelsSettings } from './start-channels.js';
import { startChannels } from './start-channels.js';

/** The settings the chat runs with (the composed config's, in the bot). */
export interface ChatCoreSettings extends ChannelsSettings {
  /** How long a destructive request can be approved. */
  approvalTtlMs: number;
  /** Accounts on several platforms that are one person (no self-approval across them). */
  personLinks: string[][];
  watchIntervalMs: number;
  /** This process's id among replicas (its vault leases name it). */
  replicaId: string;
}

export interface ChatCoreOptions {
  settings: ChatCoreSettings;
  db: Kysely<Database>;
  /** The people's service: commands and approved actions. */
  service: BackupService;
  /** The background's: the watcher spends the budget only above people's reserve. */
  background: BackupService;
  roles: RoleDirectory;
  defaults: ChatDefaults;
  audit: AuditLog;
  fleet: FleetServices;
  watches: WatchStore;
  dialect: StoreDialect;
  webUsers: readonly ChatUser[];
  metrics: Metrics;
  now: () => Date;
  logger: Logger;
}

export interface ChatCore extends Channels {
  approvals: ApprovalWorkflow;
  watcher: JobWatcher;
  /** The vaults this replica polls (PostgreSQL); undefined: it polls every vault. */
  leases?: VaultLeases;
}

/**
 * The chat, whose parts need each other: commands ask the approval workflow, which runs approved
 * actions through the commands and shows their end on the approval's card; the watcher paints job
 * cards through the conversations, which hand it the jobs to watch. Each loop is closed here by a
 * closure read only once everything exists (a request approved, an action ended, a round run).
 */
export function startChat(o: ChatCoreOptions): ChatCore {
  const { settings, db, now, logger, metrics } = o;
  const approvals: ApprovalWorkflow = new ApprovalWorkflow({
    db,
    audit: o.audit,
    logger,
    ttlMs: settings.approvalTtlMs,
    people: new PersonLinks(settings.personLinks),
    now,
    run: (action, args, plan, operations) => registry.runApproved(action, args, plan, operations),
    follow: (op) => o.service.followAccepted(op),
    onSettled: (s) => cards.settled(s),
  });
  const registry: CommandRegistry = new CommandRegistry({
    service: o.service,
    roles: o.roles,
    defaults: o.defaults,
    now,
    logger,
    approvals,
    audit: o.audit,
    fleet: o.fleet,
    onHandled: (e) => {
      metrics.command(e.command, e.outcome);
      metrics.chatMessage(e.platform, 'post');
    },
  });
  // One bot on SQLite polls every vault; replicas on PostgreSQL share the vaults out by lease.
  const leases =
    o.dialect === 'postgres'
      ? new VaultLeases({ db, replicaId: settings.replicaId, ttlMs: settings.watchLeaseMs })
      : undefined;
  // Filled by the channels: each platform's way to its job cards.
  const sinks: Record<string, WatchSink> = {};
  const watcher = new JobWatcher({
    service: o.background,
    store: o.watches,
    durations: new LearntDurationStore(db),
    defaultSubscription: o.defaults.subscriptionId,
    sinks,
    intervalMs: settings.watchIntervalMs,
    now,
    logger,
    onRound: (_stats, seconds) => metrics.watchRound(seconds),
    leases,
  });
  const cards: ApprovalCards = new ApprovalCards(approvals, watcher, () => channels.conversations);
  const channels = startChannels({
    config: settings,
    db,
    handle: (r) => registry.handle(r),
    recover: (r, startedAt) => registry.recover(r, startedAt),
    watcher,
    watches: o.watches,
    defaults: o.defaults,
    sinks,
    webUsers: o.webUsers,
    now,
    logger,
    onSent: (platform, kind) => metrics.chatMessage(platform, kind),
    onShown: (platform, ref, view) => cards.shown(platform, ref, view),
    onBudgetHold,
  });
  return { ...channels, approvals, watcher, ...(leases ? { leases } : {}) };
}
