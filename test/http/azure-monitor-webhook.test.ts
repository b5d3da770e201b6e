import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { azureMonitorAlertRoute } from '../../src/http/azure-monitor-alerts.js';
import { AZURE_MONITOR_WEBHOOK_PATH } from '../../src/http/azure-monitor-webhook.js';
import type { RunningServer } from '../../src/http/http-server.js';
import { startHttpServer } from '../../src/http/http-server.js';
import { startAlertWebhook } from '../support/alert-webhook.js';
import { EntraTokenValidator, entraIssuers } from '../../src/identity/entra-token-validator.js';
import { parseMonitorAlert } from '../../src/jobs/monitor-alert-payload.js';
import type { AlertedVault, JobAlert } from '../../src/jobs/scheduled-job-alerts.js';
import { ScheduledJobAlerter } from '../../src/jobs/scheduled-job-alerts.js';
import { silentLogger } from '../../src/logger.js';
import { SANDBOX_SUBSCRIPTION_ID, SANDBOX_BOTH_SUBSCRIPTIONS } from '../../src/sandbox/seed-ids.js';
import { isAppError } from '../../src/domain/errors.js';
import type { FakeOpenIdKeys } from '../fakes/fake-openid-keys.js';
import { startFakeOpenIdKeys } from '../fakes/fake-openid-keys.js';
import { ACTION_GROUP_ROLE } from '../../src/identity/app-role.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const AUDIENCE = 'api://backup-chatops-alerts';
const fixtures = join(import.meta.dirname, '../fixtures/azure-monitor');

function fixture(name: string, jobId = 'none'): Record<string, unknown> {
  const text = readFileSync(join(fixtures, name), 'utf8')
    .replaceAll('{subscription}', SANDBOX_SUBSCRIPTION_ID)
    .replaceAll('{jobId}', jobId);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('Azure Monitor alerts in the common alert schema', () => {
  it('reads an Azure Backup job-failure alert: vault, job and VM', () => {
    expect(parseMonitorAlert(fixture('backup-job-failure.json', 'job-1'))).toEqual({
      kind: 'backup-job',
      alertId: expect.stringContaining('/providers/Microsoft.AlertsManagement/alerts/') as string,
      subscriptionId: SANDBOX_SUBSCRIPTION_ID,
      resourceGroup: 'rg-chatops',
      vault: 'rsv-westus',
      jobId: 'job-1',
      resourceName: 'myVM',
    });
  });

  it('sets aside the documented metric alert sample, and a resolved backup alert', () => {
    expect(parseMonitorAlert(fixture('metric-alert.json'))).toMatchObject({
      kind: 'ignored',
      reason: 'not an Azure Backup alert',
    });
    const resolved = fixture('backup-job-failure.json', 'job-1');
    (resolved.data as { essentials: Record<string, unknown> }).essentials.monitorCondition = 'Resolved';
    expect(parseMonitorAlert(resolved)).toMatchObject({
      kind: 'ignored',
      reason: 'monitor condition Resolved',
    });
  });

  it('refuses a payload that is not in the common alert schema', () => {
    expect(() => parseMonitorAlert({ data: {} })).toThrow(/common alert schema/);
    expect(() => parseMonitorAlert({ schemaId: 'azureMonitorCommonAlertSchema', data: {} })).toThrow(
      /alertId/,
    );
  });
});

describe('the secure webhook token', () => {
  let keys: FakeOpenIdKeys;
  let validator: EntraTokenValidator;
  const now = Math.floor(Date.now() / 1000);
  const good = { iss: `https://sts.windows.net/${TENANT}/`, aud: AUDIENCE, exp: now + 3600, nbf: now - 60 };
  beforeAll(async () => {
    keys = await startFakeOpenIdKeys();
    validator = new EntraTokenValidator({
      metadataUrl: keys.url,
      audiences: [AUDIENCE],
      issuers: entraIssuers(TENANT),
    });
  });
  afterAll(() => keys.close());
  const reason = (claims: Record<string, unknown>, o?: Parameters<FakeOpenIdKeys['token']>[1]) =>
    validator.validate(`Bearer ${keys.token(claims, o)}`).then(
      () => 'accepted',
      (e: unknown) => (isAppError(e) ? `${e.code}: ${e.message}` : String(e)),
    );

  it('accepts an Entra token for the app, v1 or v2 issuer', async () => {
    expect(await reason(good)).toBe('accepted');
    expect(await reason({ ...good, iss: `https://login.microsoftonline.com/${TENANT}/v2.0` })).toBe(
      'accepted',
    );
  });

  it('refuses every other token with the reason', async () => {
    expect(await reason({ ...good, aud: 'api://someone-else' })).toMatch(/another audience/);
    expect(
      await reason({ ...good, iss: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/' }),
    ).toMatch(/another tenant/);
    expect(await reason({ ...good, exp: now - 3600 })).toMatch(/expired/);
    expect(await reason({ ...good, nbf: now + 3600 })).toMatch(/not valid yet/);
    expect(await reason(good, { key: keys.strangerKey })).toMatch(/signature is not valid/);
    expect(await reason(good, { kid: 'unknown-key' })).toMatch(/does not publish/);
    expect(await reason(good, { alg: 'none' })).toMatch(/auth.token/);
    expect(await validator.validate(undefined).catch((e: Error) => e.message)).toMatch(/no bearer token/);
  });
});

describe('POST /api/azure-monitor/alerts', () => {
  let w: Awaited<ReturnType<typeof startAlertWebhook>>;
  let keys: FakeOpenIdKeys;
  let alerter: ScheduledJobAlerter;
  let alerts: JobAlert[];
  const token = (claims?: Record<string, unknown>) => w.token(claims);
  const post = (body: unknown, authorization?: string | null) => w.post(body, authorization);
  const failScheduled = () => w.failScheduled();

  beforeAll(async () => {
    w = await startAlertWebhook();
    ({ keys, alerter, alerts } = w);
  });
  afterAll(() => w.close());
  beforeEach(() => {
    alerts.length = 0;
  });

  it('turns a pushed Azure Backup job-failure alert into the alert card, once, and polling finds it done', async () => {
    const jobId = failScheduled();
    const r = await post(fixture('backup-job-failure.json', jobId));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'accepted', posted: 1 });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.job).toMatchObject({ id: jobId, vmName: 'myVM', status: 'Failed' });
    expect(alerts[0]!.job.phases?.snapshot.status).toBe('Failed');
    // Azure Monitor retries; the polling alerter runs as the backfill: neither posts it again.
    expect(await (await post(fixture('backup-job-failure.json', jobId))).json()).toEqual({
      status: 'accepted',
      posted: 0,
    });
    await alerter.pollOnce();
    await alerter.pollOnce();
    expect(alerts).toHaveLength(1);
  });

  it('is the backfill the other way round: a job polling alerted first is not pushed twice', async () => {
    await alerter.pollOnce();
    await alerter.pollOnce();
    const jobId = failScheduled();
    const rounds = [await alerter.pollOnce(), await alerter.pollOnce()];
    expect(rounds.reduce((n, r) => n + r.alerts, 0)).toBe(1);
    expect(await (await post(fixture('backup-job-failure.json', jobId))).json()).toEqual({
      status: 'accepted',
      posted: 0,
    });
    expect(alerts).toHaveLength(1);
  });

  it('acknowledges an alert that is not about a backup job and posts nothing', async () => {
    const r = await post(fixture('metric-alert.json'));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ignored', reason: 'not an Azure Backup alert' });
    expect(alerts).toEqual([]);
  });

  it('refuses a request without a valid token (401)', async () => {
    const jobId = failScheduled();
    for (const authorization of [null, 'Bearer not-a-token', `Bearer ${keys.token({ aud: AUDIENCE })}`]) {
      const r = await post(fixture('backup-job-failure.json', jobId), authorization);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect(alerts).toEqual([]);
  });

  it("refuses a valid token without the Action Groups' app role (403)", async () => {
    const jobId = failScheduled();
    for (const claims of [{}, { roles: [] }, { roles: ['SomethingElse'] }, { roles: ACTION_GROUP_ROLE }]) {
      const r = await post(fixture('backup-job-failure.json', jobId), `Bearer ${token(claims)}`);
      expect(r.status, JSON.stringify(claims)).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('auth.role');
    }
    expect(alerts).toEqual([]);
    // The same alert with the role is taken.
    const r = await post(fixture('backup-job-failure.json', jobId));
    expect(r.status).toBe(200);
    expect(alerts.map((v) => v.job.id)).toEqual([jobId]);
  });

  it('bounds the body and answers malformed alerts with 400', async () => {
    const big = await post(
      JSON.stringify({ schemaId: 'azureMonitorCommonAlertSchema', pad: 'x'.repeat(300 * 1024) }),
    );
    expect(big.status).toBe(413);
    const bad = await post({ hello: 'world' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation.alert');
  });

  it('is not served at all without its settings', () => {
    expect(azureMonitorAlertRoute(loadConfig({}), alerter, silentLogger)).toBeUndefined();
    expect(() => loadConfig({ ALERT_WEBHOOK_AUDIENCE: AUDIENCE })).toThrow(/ALERT_WEBHOOK_TENANT_ID/);
  });
});

describe('POST /api/azure-monitor/alerts with several subscriptions', () => {
  let keys: FakeOpenIdKeys;
  let server: RunningServer;
  const asked: { vault: AlertedVault; jobId: string }[] = [];
  const OTHER = '5a4d8b1e-0000-4000-8000-0000000000e2';

  beforeAll(async () => {
    keys = await startFakeOpenIdKeys();
    const config = loadConfig({
      AZURE_SUBSCRIPTION_IDS: SANDBOX_BOTH_SUBSCRIPTIONS,
      BACKUP_MODE: 'sandbox',
      ALERT_WEBHOOK_AUDIENCE: AUDIENCE,
      ALERT_WEBHOOK_TENANT_ID: TENANT,
      ALERT_WEBHOOK_OPENID_METADATA_URL: keys.url,
    });
    // Only alertJob is called by the route: what it is asked is what this test checks.
    const alerter = {
      alertJob: async (vault: AlertedVault, jobId: string) => {
        asked.push({ vault, jobId });
        return 1;
      },
    } as unknown as ScheduledJobAlerter;
    const route = azureMonitorAlertRoute(config, alerter, silentLogger)!;
    server = await startHttpServer({ host: '127.0.0.1', port: 0, handlers: [route], logger: silentLogger });
  });
  afterAll(async () => {
    await server.close();
    await keys.close();
  });

  const alertOf = (subscription: string) =>
    JSON.parse(
      readFileSync(join(fixtures, 'backup-job-failure.json'), 'utf8')
        .replaceAll('{subscription}', subscription)
        .replaceAll('{jobId}', 'job-east'),
    ) as Record<string, unknown>;
  const post = (body: unknown) => {
    const now = Math.floor(Date.now() / 1000);
    const token = keys.token({
      iss: `https://sts.windows.net/${TENANT}/`,
      aud: AUDIENCE,
      exp: now + 3600,
      nbf: now - 60,
      roles: [ACTION_GROUP_ROLE],
    });
    return fetch(`${server.url}${AZURE_MONITOR_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  };

  it("takes an alert of the second subscription's vault and reads the job in that subscription", async () => {
    const r = await post(alertOf(OTHER.toUpperCase()));
    expect(r.status).toBe(200);
    expect(asked).toEqual([
      { vault: { vault: 'rsv-westus', resourceGroup: 'rg-chatops', subscription: OTHER }, jobId: 'job-east' },
    ]);
  });

  it('sets aside an alert of a subscription the bot is not configured for', async () => {
    asked.length = 0;
    const r = await post(alertOf('00000000-0000-4000-8000-00000000dead'));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'accepted', posted: 0 });
    expect(asked).toEqual([]);
  });
});
