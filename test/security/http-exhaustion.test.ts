import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { RunningServer } from '../../src/http/http-server.js';
import { startHttpServer } from '../../src/http/http-server.js';
import { silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import { rawRequest, sendChunked, trickle } from '../support/raw-http.js';

/**
 * Exhaustion of the one HTTP server: connections held open with headers that trickle in, and
 * bodies sent to routes that read none. Loopback only, with bounded counts.
 */

/** The server alone in a process limited to 1,024 open files (a common default), on loopback. */
async function startLimitedServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    'sh',
    ['-c', 'ulimit -n 1024 && exec "$0" --import tsx test/support/http-server-process.ts', process.execPath],
    { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  return { url, child };
}

/** Milliseconds until a new client's GET /healthz is answered 200 (or the failure). */
async function timeHealthz(url: string): Promise<{ ms: number; status: number | string }> {
  const started = Date.now();
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    await res.text();
    return { ms: Date.now() - started, status: res.status };
  } catch (e) {
    return { ms: Date.now() - started, status: String((e as Error).cause ?? e) };
  }
}

describe('slow headers and many connections', () => {
  let limited: { url: string; child: ChildProcess };
  beforeAll(async () => {
    limited = await startLimitedServer();
  }, 60_000);
  afterAll(() => {
    limited?.child.kill();
  });

  it('answers a normal client within 2 s while 1,100 connections trickle headers at an open-file limit of 1,024', async () => {
    const port = Number(new URL(limited.url).port);
    const attack = await trickle(port, 1_100);
    try {
      // Give the server a moment to accept them all.
      await new Promise((r) => setTimeout(r, 500));
      const first = await timeHealthz(limited.url);
      const second = await timeHealthz(limited.url);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(Math.max(first.ms, second.ms)).toBeLessThan(2_000);
    } finally {
      attack.stop();
    }
  }, 60_000);
});

describe('a connection that never finishes its headers', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startHttpServer({ host: '127.0.0.1', port: 0, handlers: [], logger: silentLogger });
  });
  afterAll(() => server.close());

  it('is closed by the server within 13 s, however slowly it keeps sending', async () => {
    const started = Date.now();
    const attack = await trickle(Number(new URL(server.url).port), 3);
    try {
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (attack.closedByServer() === 3 || Date.now() - started > 15_000) {
            clearInterval(check);
            resolve();
          }
        }, 100);
      });
      expect(attack.closedByServer()).toBe(3);
      expect(Date.now() - started).toBeLessThan(13_000);
    } finally {
      attack.stop();
    }
  }, 20_000);
});

describe('routes that read no body', () => {
  let bot: RunningBot;
  let port: number;
  beforeAll(async () => {
    bot = await startBot(
      loadConfig({
        PORT: '0',
        DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'exhaustion-')), 'bot.db'),
        SANDBOX_CLOCK_SPEED: '0',
      }),
      silentLogger,
    );
    port = Number(new URL(bot.url).port);
  });
  afterAll(() => bot?.stop());

  it.each(['/healthz', '/readyz', '/metrics', '/web/api/history?room=ops', '/no/such/page'])(
    'answers a chunked body past 4 KiB on GET %s with 413 and closes the connection',
    async (path) => {
      const r = await rawRequest(
        port,
        `GET ${path} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n`,
        (write, answered) => sendChunked(write, answered, 64 * 1024 * 1024),
      );
      expect(r.status).toBe(413);
      expect(r.answer.toLowerCase()).toContain('connection: close');
      // It stopped reading near the bound: far below the 64 MB offered.
      expect(r.sent).toBeLessThan(16 * 1024 * 1024);
    },
    20_000,
  );

  it('still answers GET /healthz with a small body', async () => {
    const r = await rawRequest(
      port,
      'GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\n',
      (write) => write('hello').then(() => undefined),
    );
    expect(r.status).toBe(200);
  });
});
