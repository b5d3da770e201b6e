import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatFaults, FaultCounts } from './chat-faults.js';
import { ChatFaultDecider } from './chat-faults.js';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  /** The activity id in the path (reply-to for POST, the updated activity for PUT). */
  activityId?: string;
  body: Record<string, unknown>;
  authorization?: string;
}

/**
 * A local Bot Connector (Bot Framework REST API v3): the three calls a bot makes — reply
 * (POST …/activities/{replyToId}), send (POST …/activities) and update (PUT …/activities/{id}) —
 * recorded for assertions, each answered with a fresh activity id. It can be told to throttle the
 * next calls, and, with `faults`, answer 429 or 5xx to a seeded share of all calls.
 */
export interface FakeBotConnector {
  url: string;
  calls: ConnectorCall[];
  /** The next `n` calls answer 429 with Retry-After (seconds). */
  throttleNext(n: number, retryAfterSeconds?: number): void;
  /** Random faults on every call from now on (undefined: none). */
  setFaults(faults: ChatFaults | undefined): void;
  faultCounts: FaultCounts;
  close(): Promise<void>;
}

export async function startFakeBotConnector(
  options: { faults?: ChatFaults } = {},
): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const faults = new ChatFaultDecider(options.faults);
  let throttle = 0;
  let retryAfter = 0;
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url?.split('?')[0] ?? '');
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      if (throttle > 0) {
        throttle--;
        res.writeHead(429, { 'retry-after': String(retryAfter), 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { code: 'TooManyRequests', message: 'Throttled by the fake connector.' } }),
        );
        return;
      }
      const fault = faults.decide();
      if (fault) {
        const throttled = fault.kind === 'throttle';
        res.writeHead(throttled ? 429 : fault.status, {
          'content-type': 'application/json',
          ...(throttled ? { 'retry-after': String(fault.retryAfterSeconds) } : {}),
        });
        res.end(
          JSON.stringify({
            error: throttled
              ? { code: 'TooManyRequests', message: 'Throttled by the fake connector.' }
              : { code: 'ServiceError', message: 'The fake connector failed.' },
          }),
        );
        return;
      }
      calls.push({
        method: req.method ?? '',
        path: req.url ?? '',
        conversationId: decodeURIComponent(m[1]!),
        ...(m[2] ? { activityId: decodeURIComponent(m[2]) } : {}),
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: req.method === 'PUT' && m[2] ? decodeURIComponent(m[2]) : `act-${randomUUID()}`,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    throttleNext(n, seconds = 0) {
      throttle = n;
      retryAfter = seconds;
    },
    setFaults: (f) => faults.set(f),
    faultCounts: faults.counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
