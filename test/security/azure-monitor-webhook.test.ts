import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger.js';
import { SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';
import { AZURE_MONITOR_WEBHOOK_PATH } from '../../src/http/azure-monitor-webhook.js';
import { alertFixture, startAlertWebhook } from '../support/alert-webhook.js';
import { rawRequest, sendChunked } from '../support/raw-http.js';

/**
 * The Azure Monitor webhook as an entry point: refusals that tell a prober nothing, alerts the bot
 * cannot use acknowledged (a 5xx would make Azure Monitor retry them for nothing), and bodies
 * bounded even after a refusal.
 */
const warnings: { message: string; fields: Record<string, unknown> }[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, fields = {}) => void warnings.push({ message, fields }),
  error: (message, fields = {}) => void warnings.push({ message, fields }),
} as Logger;

let w: Awaited<ReturnType<typeof startAlertWebhook>>;
beforeAll(async () => {
  w = await startAlertWebhook(logger);
});
afterAll(() => w.close());
beforeEach(() => {
  warnings.length = 0;
  w.alerts.length = 0;
});

/** The failure fixture, its vault's resource id replaced. */
function alertOnVault(vaultId: string, jobId: string): Record<string, unknown> {
  const alert = alertFixture('backup-job-failure.json', jobId) as {
    data: { essentials: { alertTargetIDs: string[] } };
  };
  alert.data.essentials.alertTargetIDs = [vaultId];
  return alert;
}

describe('Azure Monitor webhook', () => {
  it('answers every token failure with the same fixed 401 body, the reason only in the log', async () => {
    for (const authorization of [
      null,
      'Bearer not-a-token',
      `Bearer ${w.keys.token({ aud: 'api://other' })}`,
    ]) {
      const r = await w.post(alertFixture('metric-alert.json'), authorization);
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({
        error: { code: 'auth.unauthenticated', message: 'Authentication failed.' },
      });
    }
    expect(warnings.filter((x) => x.message === 'azure monitor alert refused')).toHaveLength(3);
    expect(warnings.every((x) => typeof x.fields.reason === 'string' && x.fields.reason !== '')).toBe(true);
  });

  it('acknowledges an authenticated alert about a vault the bot cannot read with 2xx and a warning', async () => {
    const alert = alertOnVault(
      `/subscriptions/${SANDBOX_SUBSCRIPTION_ID}/resourceGroups/rg-chatops/providers/Microsoft.RecoveryServices/vaults/rsv-nowhere`,
      'job-unknown',
    );
    const r = await w.post(alert);
    expect(r.status).toBeGreaterThanOrEqual(200);
    expect(r.status).toBeLessThan(300);
    expect(w.alerts).toEqual([]);
    expect(warnings.map((x) => x.message)).toContain(
      'azure monitor alert set aside: the bot cannot act on it',
    );
  });

  it('acknowledges an authenticated alert whose vault id cannot be parsed with 2xx', async () => {
    const r = await w.post(alertOnVault('/subscriptions/x/vaults/%00', 'job-x'));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ignored' });
  });

  it('stops reading a chunked body past its bound after a 401, and closes the connection', async () => {
    const r = await rawRequest(
      Number(new URL(w.server.url).port),
      `POST ${AZURE_MONITOR_WEBHOOK_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      (write, answered) => sendChunked(write, answered, 64 * 1024 * 1024),
    );
    expect([401, 413]).toContain(r.status);
    expect(r.answer.toLowerCase()).toContain('connection: close');
    expect(r.sent).toBeLessThan(16 * 1024 * 1024);
  }, 20_000);
});
