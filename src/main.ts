import { startApprovalSweeps } from './approvals/approval-sweeps.js';
import { AuditLog } from './approvals/audit-log.js';
import { createBackupService } from './azure/create-backup-service.js';
import { atBackgroundPriority } from './azure/request-budget-scheduler.js';
import { presentDigest } from './cards/present-digest.js';
import { startChat } from './channels/start-chat.js';
import { chatDefaultsOf, roleDirectoryOf } from './chat/chat-people.js';
import { toJobAlertView } from './chat/job-view.js';
import type { AppConfig } from './config.js';
import { ConfigError, loadConfig, storeLocation } from './config.js';
import { fleetAlertsOf } from './fleet/fleet-alerts.js';
import { fleetServicesOf } from './fleet/fleet-wiring.js';
import { azureMonitorAlertRoute } from './http/azure-monitor-alerts.js';
import { startHttpServer } from './http/http-server.js';
import { metricsRoute } from './http/metrics-route.js';
import type { JobWatcher } from './jobs/job-watcher.js';
import { rememberingStartedBackups } from './jobs/started-backups.js';
import type { Logger } from './logger.js';
import { createJsonLogger, routeConsoleTo } from './logger.js';
import { Metrics, armOperation } from './metrics/metrics.js';
import { SANDBOX_CHAT_USERS } from './sandbox/seed-ids.js';
import type { Sandbox } from './sandbox/server.js';
import { stopBot } from './shutdown.js';
import { startBotSandbox } from './start-sandbox.js';
import { startBanner, startedFields } from './startup-summary.js';
import { stopOnSignals } from './stop-on-signals.js';
import { AlertStore } from './store/alert-store.js';
import { openStore, storeReadiness } from './store/open-database.js';
import { StartedJobStore } from './store/started-job-store.js';
import { storeGauges } from './store/store-gauges.js';
import { WatchStore } from './store/watch-store.js';

export interface RunningBot {
  url: string;
  watcher: JobWatcher;
  sandbox?: Sandbox;
  stop(): Promise<void>;
}

/**
 * Composition root: config → sandbox (in sandbox mode) → store → backup service → chat (commands,
 * approvals, JobWatcher, channels) → alerts and digests → one HTTP server.
 */
export async function startBot(config: AppConfig, logger: Logger): Promise<RunningBot> {
  const { link: sandbox, embedded, now } = await startBotSandbox(config);
  const store = await openStore(storeLocation(config), {
    onConnectionError: (e) =>
      logger.warn('database connection lost; it is reopened when needed', { error: e.message }),
  });
  const { db } = store;
  const metrics = new Metrics(storeGauges(db));
  const startedJobs = new StartedJobStore(db);
  const observe = (method: string, path: string, status: number): void =>
    metrics.azureRequest(armOperation(method, path), status);
  const service = rememberingStartedBackups(
    createBackupService({ azure: config.azure, sandbox, now, observe }),
    startedJobs,
    { defaultResourceGroup: config.azure.vaultResourceGroup, now, logger },
  );
  // The watcher and the alerts spend the Recovery Services budget only above people's reserve.
  const background = atBackgroundPriority(service);
  const defaults = chatDefaultsOf(config.azure);
  const webUsers = sandbox ? SANDBOX_CHAT_USERS.map((u) => ({ ...u, roles: [...u.roles] })) : [];
  const fleet = fleetServicesOf(db, config.alerts?.vaults ?? []);
  const chat = startChat({
    settings: { ...config, personLinks: config.chat.personLinks },
    db,
    dialect: store.dialect,
    service,
    background,
    roles: roleDirectoryOf(config.chat, webUsers),
    defaults,
    audit: new AuditLog(db, now),
    fleet,
    watches: new WatchStore(db),
    webUsers,
    metrics,
    now,
    logger,
  });
  const { approvals, watcher, journal, alertChannels, slack } = chat;
  const { alerter, digests } = fleetAlertsOf({
    settings: config.alerts,
    service: background,
    store: new AlertStore(db),
    startedJobs,
    fleet,
    channels: chat,
    alertView: (alert) => toJobAlertView(alert, defaults),
    digestView: (report) => presentDigest(report, 'Daily backup digest'),
    digestIntervalMs: sandbox ? 1_000 : 60_000,
    now,
    logger,
  });
  const alertWebhook = azureMonitorAlertRoute(config, alerter, logger);
  const http = await startHttpServer({
    ...config.http,
    handlers: [metricsRoute(metrics), ...chat.handlers, ...(alertWebhook ? [alertWebhook] : [])],
    logger,
    ready: () => storeReadiness(db),
  });
  await slack?.start();
  watcher.start();
  alerter?.start();
  digests.start();
  journal.start();
  // A run takes at most the operation timeout (real time; approvals are stamped by `now`, the
  // sandbox's faster clock in sandbox mode), so twice that is surely dead.
  const clockRate = sandbox ? Math.max(1, config.sandbox.clockSpeed) : 1;
  const staleMs = 2 * config.azure.operationTimeoutMs * clockRate;
  const sweeps = await startApprovalSweeps(approvals, { staleMs, logger });
  const alertTargets = alerter ? alertChannels.map((t) => t.id) : undefined;
  const summary = { url: http.url, dialect: store.dialect, alertTargets, sandboxUrl: sandbox?.url };
  logger.info('started', startedFields(config, summary));
  const running = { ...chat, sweeps, http, alerter, digests, sandbox, db };
  return { url: http.url, watcher, sandbox: embedded, stop: () => stopBot(running) };
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
  process.stdout.write(startBanner(config, bot));
  stopOnSignals(bot, logger);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  void main();
}
