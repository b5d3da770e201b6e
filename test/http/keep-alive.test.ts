import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/http-server.js';
import { startHttpServer } from '../../src/http/http-server.js';
import { silentLogger } from '../../src/logger.js';

/** Two GETs of /healthz on one kept-alive connection, `gapMs` apart; the local ports they used. */
async function twoRequestsOneSocket(
  url: string,
  gapMs: number,
): Promise<{ statuses: number[]; ports: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise<{ status: number; port: number }>((resolve, reject) => {
      const req = request(`${url}/healthz`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, port: req.socket?.localPort ?? 0 }));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    const first = await get();
    await new Promise((r) => setTimeout(r, gapMs));
    const second = await get();
    return { statuses: [first.status, second.status], ports: [first.port, second.port] };
  } finally {
    agent.destroy();
  }
}

describe('the HTTP server keeps idle connections for the client to close', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startHttpServer({ host: '127.0.0.1', port: 0, handlers: [], logger: silentLogger });
  });
  afterAll(() => server.close());

  it('answers a second request on a connection idle for 6 s (Node’s default closes it after 5 s)', async () => {
    const { statuses, ports } = await twoRequestsOneSocket(server.url, 6_000);
    expect(statuses).toEqual([200, 200]);
    // The same connection: the server had not closed it.
    expect(ports[1]).toBe(ports[0]);
  }, 20_000);

  it('tells clients how long it keeps them', async () => {
    const res = await fetch(`${server.url}/healthz`);
    await res.text();
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });
});
