import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/main.js';
import { startSlackBot } from '../support/slack-driver.js';

/**
 * The web chat's API (no sign-in: loopback and same-origin only) and the unauthenticated probes
 * (/healthz, /readyz, /metrics), on one bot that also holds Slack secrets they must never show.
 */
const SECRET = 'slack-signing-secret-never-shown';
let bot: RunningBot;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ bot, close } = await startSlackBot(SECRET, { WEB_CHAT: 'on' }));
});
afterAll(() => close?.());

/** A request with headers fetch would not let a test set (Host). */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${bot.url}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const MESSAGE = JSON.stringify({ userId: 'web:bob', room: 'ops', text: 'help' });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('web chat API', () => {
  it('refuses a request from another origin or another site (403)', async () => {
    const port = new URL(bot.url).port;
    const host = `localhost:${port}`;
    expect(
      (
        await send(
          'POST',
          '/web/api/messages',
          { ...JSON_TYPE, host, origin: 'https://evil.example' },
          MESSAGE,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await send(
          'POST',
          '/web/api/messages',
          { ...JSON_TYPE, host, 'sec-fetch-site': 'cross-site' },
          MESSAGE,
        )
      ).status,
    ).toBe(403);
  });

  it('refuses a Host that is not this machine (DNS rebinding) with 403', async () => {
    expect((await send('GET', '/web/api/history?room=ops', { host: 'evil.example' })).status).toBe(403);
  });

  it('refuses a user who is not one of the picker’s users (403) and a form post a page could send (415)', async () => {
    const port = new URL(bot.url).port;
    const host = `localhost:${port}`;
    expect(
      (
        await send(
          'POST',
          '/web/api/messages',
          { ...JSON_TYPE, host },
          JSON.stringify({ userId: 'web:mallory', text: 'help' }),
        )
      ).status,
    ).toBe(403);
    expect(
      (await send('POST', '/web/api/messages', { host, 'content-type': 'text/plain' }, MESSAGE)).status,
    ).toBe(415);
  });
});

describe('probes', () => {
  it('show no secret on /healthz, /readyz or /metrics', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const res = await fetch(`${bot.url}${path}`);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('xoxb-');
    }
  });
});
