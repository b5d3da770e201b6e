import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import { bodyLimitFor } from '../../src/http/request-body.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { startFakeSlackApi } from '../fakes/fake-slack-api.js';
import { rawRequest as raw } from '../support/raw-http.js';

/**
 * Every endpoint bounds its body before reading it: a declared length too large is answered 413
 * at once, and a chunked body is counted while it streams and cut off past the limit. The bot has
 * Slack, Teams (local only) and the web chat on one server.
 */
let bot: RunningBot;
let slack: FakeSlackApi;
let port: number;

beforeAll(async () => {
  slack = await startFakeSlackApi();
  bot = await startBot(
    loadConfig({
      PORT: '0',
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'limits-')), 'bot.db'),
      SANDBOX_CLOCK_SPEED: '0',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.url,
      TEAMS_LOCAL_ONLY: 'true',
      WEB_CHAT: 'on',
    }),
    silentLogger,
  );
  port = Number(new URL(bot.url).port);
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
});

const rawRequest = (head: string, send: Parameters<typeof raw>[2]) => raw(port, head, send);

const ROUTES = ['/slack/events', '/api/messages', '/web/api/messages', '/web/api/actions'];

describe('request bodies are bounded before they are read', () => {
  it.each(ROUTES)('answers 413 at once to a declared length past the limit on %s', async (path) => {
    const r = await rawRequest(
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${1024 ** 3}\r\n\r\n`,
      async (write, answered) => {
        await write('{"text":"');
        // Nothing more is sent until the answer comes: the server must not wait for the gigabyte.
        for (let i = 0; i < 400 && !answered(); i++) await new Promise((res) => setTimeout(res, 25));
      },
    );
    expect(r.status).toBe(413);
  });

  it.each(ROUTES)('stops reading a chunked body once it passes the limit on %s (413)', async (path) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const cap = 64 * 1024 * 1024;
    const r = await rawRequest(
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      async (write, answered) => {
        let total = 0;
        while (!answered() && total < cap) {
          if (!(await write(`${chunk.length.toString(16)}\r\n`))) break;
          if (!(await write(chunk))) break;
          if (!(await write('\r\n'))) break;
          total += chunk.length;
        }
        if (!answered()) await write('0\r\n\r\n');
      },
    );
    expect(r.status).toBe(413);
    // The server stopped well before the client's 64 MB: the limit plus what sockets buffer.
    expect(r.sent).toBeLessThan(cap / 2);
    expect(bodyLimitFor(path)).toBeLessThanOrEqual(256 * 1024);
  });

  it('still reads a body within the limit', async () => {
    const r = await fetch(`${bot.url}/web/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'web:alice', text: 'help' }),
    });
    expect(r.status).toBe(202);
  });

  it('answers GET /slack/events with 405, not 500', async () => {
    const r = await fetch(`${bot.url}/slack/events`);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
  });
});
