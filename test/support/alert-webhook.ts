import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { azureMonitorAlertRoute } from '../../src/http/azure-monitor-alerts.js';
import { AZURE_MONITOR_WEBHOOK_PATH } from '../../src/http/azure-monitor-webhook.js';
import type { RunningServer } from '../../src/http/http-server.js';
import { startHttpServer } from '../../src/http/http-server.js';
import { ACTION_GROUP_ROLE } from '../../src/identity/app-role.js';
import type { JobAlert } from '../../src/jobs/scheduled-job-alerts.js';
import { ScheduledJobAlerter } from '../../src/jobs/scheduled-job-alerts.js';
import type { Logger } from '../../src/logger.js';
import { silentLogger } from '../../src/logger.js';
import { SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { openDatabase } from '../../src/store/open-database.js';
import { StartedJobStore } from '../../src/store/started-job-store.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';
import type { FakeOpenIdKeys } from '../fakes/fake-openid-keys.js';
import { startFakeOpenIdKeys } from '../fakes/fake-openid-keys.js';

export const ALERT_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const ALERT_AUDIENCE = 'api://backup-chatops-alerts';
const fixtures = join(import.meta.dirname, '../fixtures/azure-monitor');

/** An alert of test/fixtures/azure-monitor, in the sandbox's subscription, about `jobId`. */
export function alertFixture(name: string, jobId = 'none'): Record<string, unknown> {
  const text = readFileSync(join(fixtures, name), 'utf8')
    .replaceAll('{subscription}', SANDBOX_SUBSCRIPTION_ID)
    .replaceAll('{jobId}', jobId);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * The Azure Monitor webhook on the product's HTTP server, with its real token validator against
 * a fake Entra key set and the polling alerter against the sandbox; the alert cards it would post
 * are collected in `alerts` (the facts the alerter hands its targets).
 */
export async function startAlertWebhook(logger: Logger = silentLogger) {
  const h: Harness = await startHarness();
  const keys: FakeOpenIdKeys = await startFakeOpenIdKeys();
  const alerts: JobAlert[] = [];
  const db = await openDatabase(':memory:');
  const alerter = new ScheduledJobAlerter({
    service: h.service,
    store: new AlertStore(db),
    startedJobs: new StartedJobStore(db),
    vaults: [{ vault: 'rsv-westus', resourceGroup: 'rg-chatops' }],
    targets: [
      {
        id: 'slack:C1',
        post: async (alert: JobAlert) => void alerts.push(alert),
      },
    ],
    intervalMs: 10,
    now: () => h.sandbox.clock.now(),
  });
  const config = loadConfig({
    ALERT_WEBHOOK_AUDIENCE: ALERT_AUDIENCE,
    ALERT_WEBHOOK_TENANT_ID: ALERT_TENANT,
    ALERT_WEBHOOK_OPENID_METADATA_URL: keys.url,
  });
  const route = azureMonitorAlertRoute(config, alerter, logger)!;
  const server: RunningServer = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    handlers: [route],
    logger,
  });
  const now = () => Math.floor(Date.now() / 1000);
  /** A token as the Action Group's service principal gets it (claims override). */
  const token = (claims: Record<string, unknown> = { roles: [ACTION_GROUP_ROLE] }) =>
    keys.token({
      iss: `https://sts.windows.net/${ALERT_TENANT}/`,
      aud: ALERT_AUDIENCE,
      exp: now() + 3600,
      nbf: now() - 60,
      ...claims,
    });
  return {
    h,
    keys,
    alerter,
    server,
    alerts,
    token,
    post: (body: unknown, authorization: string | null = `Bearer ${token()}`) =>
      fetch(`${server.url}${AZURE_MONITOR_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    /** A scheduled backup of myVM whose snapshot fails, run to its end. */
    failScheduled(): string {
      h.advanceMinutes(1);
      h.sandbox.failNextBackup('myVM', 'snapshot');
      const id = h.sandbox.startScheduledBackup('myVM');
      h.advanceMinutes(9);
      return id;
    },
    async close(): Promise<void> {
      await server.close();
      await keys.close();
      await h.close();
    },
  };
}
