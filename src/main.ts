import { ApprovalWorkflow } from './approvals/approval-workflow.js';
import { AuditLog } from './approvals/audit-log.js';
import { PersonLinks } from './identity/person-links.js';
import { createBackupService } from './azure/create-backup-service.js';
import { presentDigest } from './cards/present-digest.js';
import type { View } from './cards/views.js';
import { atBackgroundPriority, onBudgetHold } from './azure/request-budget-scheduler.js';
import { startChannels } from './channels/start-channels.js';
import { ApprovalCards } from './conversation/approval-cards.js';
import { CommandRegistry } from './chat/command-registry.js';
import type { ChatDefaults } from './chat/command.js';
import { toJobAlertView } from './chat/job-view.js';
import { RoleDirectory } from './chat/roles.js';
import { groupRolesOf } from './identity/group-roles.js';
import { graphTokenSource } from './azure/graph-token.js';
import { azureMonitorAlertRoute } from './http/azure-monitor-alerts.js';
import { alertSubscribers } from './fleet/alert-subscribers.js';
import { DigestScheduler } from './fleet/digest-scheduler.js';
import { fleetServicesOf, posterForChannels } from './fleet/fleet-wiring.js';
import type { AppConfig } from './config.js';
import { ConfigError, loadConfig, storeLocation } from './config.js';
import type { RouteHandler } from './http/http-server.js';
import { startHttpServer } from './http/http-server.js';
import type { WatchSink } from './jobs/job-watcher.js';
import type { JobAlert } from './jobs/scheduled-job-alerts.js';
import { ScheduledJobAlerter } from './jobs/scheduled-job-alerts.js';
import { rememberingStartedBackups } from './jobs/started-backups.js';
import { JobWatcher } from './jobs/job-watcher.js';
import type { Logger } from './logger.js';
import { createJsonLogger, routeConsoleTo } from './logger.js';
import { Metrics, armOperation } from './metrics/metrics.js';
import { SANDBOX_CHAT_USERS } from './sandbox/seed-ids.js';
import type { Sandbox } from './sandbox/server.js';
import { sandboxOptionsOf } from './sandbox/sandbox-options.js';
import { startSandbox } from './sandbox/server.js';
import type { SandboxLink } from './sandbox/shared-sandbox.js';
import { connectToSandbox } from './sandbox/shared-sandbox.js';
import { openStore, storeAnswers } from './store/open-database.js';
import { VaultLeases } from './store/vault-leases.js';
import { AlertStore } from './store/alert-store.js';
import { LearntDurationStore } from './store/learnt-duration-store.js';
import { StartedJobStore } from './store/started-job-store.js';
import { WatchStore } from './store/watch-store.js';

export interface RunningBot {
  url: string;
  watcher: JobWatcher;
  sandbox?: Sandbox;
  stop(): Promise<void>;
}

/**
 * Composition root: config → sandbox (in sandbox mode) → backup service → store → command
 * registry → JobWatcher → channels → one HTTP server.
 */
export async function startBot(config: AppConfig, logger: Logger): Promise<RunningBot> {
  const external = config.azure.mode === 'sandbox' ? config.sandbox.external : undefined;
  const embedded =
    config.azure.mode === 'sandbox' && !external
      ? await startSandbox(sandboxOptionsOf(config.sandbox))
      : undefined;
  const sandbox: SandboxLink | undefined = external ? await connectToSandbox(external) : embedded;
  // With the sandbox, its simulated clock is the bot's clock, so job times and elapsed times agree.
  const now = sandbox ? () => sandbox.clock.now() : () => new Date();
  const store = await openStore(storeLocation(config), {
    onConnectionError: (e) =>
      logger.warn('database connection lost; it is reopened when needed', { error: e.message }),
  });
  const { db } = store;
  const watchStore = new WatchStore(db);
  const metrics = new Metrics({
    watchedJobs: async () => (await watchStore.active()).length,
    approvalsByState: async () => {
      const rows = await db
        .selectFrom('approvals')
        .select(['state', db.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },
  });
  const startedJobs = new StartedJobStore(db);
  const service = rememberingStartedBackups(
    createBackupService({
      azure: config.azure,
      sandbox,
      now,
      observe: (method, path, status) => metrics.azureRequest(armOperation(method, path), status),
    }),
    startedJobs,
    { defaultResourceGroup: config.azure.vaultResourceGroup, now, logger },
  );
  const defaults: ChatDefaults = {
    subscriptionId: config.azure.subscriptionId,
    vaultName: config.azure.vaultName,
    vaultResourceGroup: config.azure.vaultResourceGroup,
    portalLinks: config.azure.mode === 'azure',
  };
  const webUsers = sandbox
    ? SANDBOX_CHAT_USERS.map((u) => ({ id: u.id, name: u.name, roles: [...u.roles] }))
    : [];
  const roles = new RoleDirectory(
    [...config.chat.roleAssignments, ...webUsers.map((u) => ({ userId: u.id, roles: u.roles }))],
    config.chat.defaultRoles,
    groupRolesOf(config.chat, graphTokenSource),
  );
  const audit = new AuditLog(db, now);
  const fleet = fleetServicesOf(db, config.alerts?.vaults ?? []);
  // The workflow runs approved actions through the registry, which asks it for approvals: the
  // closure reads `registry` only once a request is approved, long after both exist.
  const approvals: ApprovalWorkflow = new ApprovalWorkflow({
    db,
    audit,
    logger,
    ttlMs: config.approvalTtlMs,
    people: new PersonLinks(config.chat.personLinks),
    now,
    run: (action, args, plan, operations) => registry.runApproved(action, args, plan, operations),
    follow: (op) => service.followAccepted(op),
    // Read only once an approved action ends, long after the channels exist.
    onSettled: (s) => cards.settled(s),
  });
  const registry: CommandRegistry = new CommandRegistry({
    service,
    roles,
    defaults,
    now,
    logger,
    approvals,
    audit,
    fleet,
    onHandled: (e) => {
      metrics.command(e.command, e.outcome);
      metrics.chatMessage(e.platform, 'post');
    },
  });
  const sinks: Record<string, WatchSink> = {};
  // One bot on SQLite polls every vault; replicas on PostgreSQL share the vaults out by lease.
  const leases =
    store.dialect === 'postgres'
      ? new VaultLeases({ db, replicaId: config.replicaId, ttlMs: config.watchLeaseMs })
      : undefined;
  // The watcher and the alerts spend the Recovery Services budget only above people's reserve.
  const background = atBackgroundPriority(service);
  const watcher = new JobWatcher({
    service: background,
    store: watchStore,
    durations: new LearntDurationStore(db),
    defaultSubscription: defaults.subscriptionId,
    sinks,
    intervalMs: config.watchIntervalMs,
    now,
    logger,
    onRound: (_stats, seconds) => metrics.watchRound(seconds),
    leases,
  });
  const handlers: RouteHandler[] = [
    async (req, res, url) => {
      if (url.pathname !== '/metrics' || req.method !== 'GET') return false;
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return true;
    },
  ];
  const cards: ApprovalCards = new ApprovalCards(approvals, watcher, () => conversations);
  const { conversations, journal, alertChannels, slack, ...channels } = startChannels({
    config,
    db,
    handle: (r) => registry.handle(r),
    recover: (r, startedAt) => registry.recover(r, startedAt),
    watcher,
    watches: watchStore,
    defaults,
    sinks,
    webUsers,
    now,
    logger,
    onSent: (platform, kind) => metrics.chatMessage(platform, kind),
    onShown: (platform, ref, view) => cards.shown(platform, ref, view),
    onBudgetHold,
  });
  handlers.push(...channels.handlers);
  // Alert subscriptions from chat post through the running channels (fleet/alert-subscribers.ts).
  const alertSettings = config.alerts;
  const posterFor = posterForChannels({
    slack,
    teams: channels.teams,
    web: alertChannels.find((t) => t.id === 'web')?.post,
  });
  // The alerter hands out alerts; each becomes its card on the way to a channel.
  const alertCards =
    (post: (view: View) => Promise<void>) =>
    (alert: JobAlert): Promise<void> =>
      post(toJobAlertView(alert, defaults));
  const alerter = alertSettings
    ? new ScheduledJobAlerter({
        service: background,
        store: new AlertStore(db),
        startedJobs,
        vaults: alertSettings.vaults,
        targets: alertChannels.map((c) => ({ id: c.id, post: alertCards(c.post) })),
        subscribers: alertSubscribers(fleet.subscriptions, (address) => {
          const post = posterFor(address);
          return post && alertCards(post);
        }),
        intervalMs: alertSettings.intervalMs,
        now,
        logger,
      })
    : undefined;
  const digests = new DigestScheduler({
    store: fleet.digests,
    service: background,
    vaultsFor: (target) => fleet.vaultsFor(target),
    posterFor: (address) => {
      const post = posterFor(address);
      return post && ((report) => post(presentDigest(report, 'Daily backup digest')));
    },
    intervalMs: sandbox ? 1_000 : 60_000,
    now,
    logger,
  });
  const alertWebhook = azureMonitorAlertRoute(config, alerter, logger);
  if (alertWebhook) handlers.push(alertWebhook);
  const http = await startHttpServer({
    host: config.http.host,
    port: config.http.port,
    maxConnections: config.http.maxConnections,
    handlers,
    logger,
    // Ready while the store answers: without it no watch, approval or audit can be kept.
    ready: async () =>
      (await storeAnswers(db)) ? { ready: true } : { ready: false, reason: 'The database does not answer.' },
  });
  await slack?.start();
  watcher.start();
  alerter?.start();
  digests.start();
  journal.start();
  // Requests a crash left half-run are closed (never re-run), lapsed ones expired: at start, then
  // each minute. A run takes at most the operation timeout (real time; approvals are stamped by
  // `now`, the sandbox's faster clock in sandbox mode), so twice that is surely dead.
  const clockRate = sandbox ? Math.max(1, config.sandbox.clockSpeed) : 1;
  const sweepApprovals = (): Promise<void> =>
    approvals
      .sweep(2 * config.azure.operationTimeoutMs * clockRate)
      .then((r) => {
        if (r.interrupted > 0) logger.warn('approvals interrupted by a stop were closed', r);
      })
      .catch((e: unknown) =>
        logger.warn('approval sweep failed', { error: e instanceof Error ? e.message : String(e) }),
      );
  await sweepApprovals();
  const sweeper = setInterval(() => void sweepApprovals(), 60_000);
  sweeper.unref();
  logger.info('started', {
    url: http.url,
    mode: config.azure.mode,
    vault: `${config.azure.vaultResourceGroup}/${config.azure.vaultName}`,
    webChat: config.webChat,
    teams: config.teams ? (config.teams.appId ? 'authenticated' : 'local-only, unauthenticated') : 'off',
    slack: config.slack ? config.slack.mode : 'off',
    alerts: alerter ? alertChannels.map((t) => t.id).join(', ') : 'off',
    store: store.dialect === 'postgres' ? `postgres (replica ${config.replicaId})` : config.databasePath,
    ...(sandbox ? { sandbox: sandbox.url, clockSpeed: config.sandbox.clockSpeed } : {}),
  });
  return {
    url: http.url,
    watcher,
    sandbox: embedded,
    /**
     * Stops within STOP_BUDGET_MS, whatever the chat platforms and Azure do: take no more work,
     * finish what finishes in time, hand the rest over. A command not answered by then stays on
     * record (open_commands) and its hold lapses, so the next process answers it, as after a
     * crash; a card update not delivered is repainted by the next process's watcher.
     */
    async stop() {
      const deadline = Date.now() + STOP_BUDGET_MS;
      const left = (reserve = 0): number => Math.max(0, deadline - reserve - Date.now());
      clearInterval(sweeper);
      http.stopAccepting();
      conversations.beginStop();
      alerter?.stop();
      digests.stop();
      // The commands being answered, the watcher's round and the card updates under way, while
      // time remains; what is left after that is abandoned with the process.
      await within(
        left(CLOSING_RESERVE_MS),
        Promise.allSettled([journal.stop(), watcher.stop(), conversations.drain(), approvals.idle()]),
      );
      // The vaults this replica polled go to the others at once rather than after their lease.
      await within(left(), leases?.releaseAll());
      await within(left(), slack?.stop());
      await http.close();
      await within(left(), sandbox?.close());
      await within(left(), db.destroy());
    },
  };
}

/**
 * How long a stop may take: container platforms kill a process 10 to 30 s after SIGTERM, so this
 * stays under the shortest with room for the process to exit.
 */
const STOP_BUDGET_MS = 8_000;
/** Kept back from the draining for the leases, the server and the database. */
const CLOSING_RESERVE_MS = 1_500;

/** Waits for `work` at most `ms` (its failure is the caller's business elsewhere: it is logged there). */
function within(ms: number, work: Promise<unknown> | undefined): Promise<void> {
  if (!work) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

async function main(): Promise<void> {
  const logger = createJsonLogger();
  routeConsoleTo(logger);
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const bot = await startBot(config, logger);
  process.stdout.write(
    `\nbackup-chatops is running.\n  Web chat: ${config.webChat ? `${bot.url}/` : 'off'}\n  Mode:     ${config.azure.mode}${config.azure.mode === 'sandbox' ? ` (local Azure sandbox at ${config.sandbox.external?.url ?? bot.sandbox?.url}${bot.sandbox ? `, clock ×${config.sandbox.clockSpeed}` : ', shared'})` : ''}\n  Try:      backup myVM now · status of jobs · list vms · help\n\n`,
  );
  const stop = (signal: string): void => {
    logger.info('stopping', { signal });
    // The last guard: whatever still runs, the process is gone within 10 s of the signal.
    setTimeout(() => {
      logger.warn('stop took too long; exiting');
      process.exit(1);
    }, 10_000).unref();
    void bot.stop().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  void main();
}
