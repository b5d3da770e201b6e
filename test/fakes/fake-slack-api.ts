import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

/**
 * A local Slack Web API: the methods the bot calls (auth.test, chat.postMessage, chat.update,
 * views.open), recorded with their arguments (JSON-encoded fields decoded) and answered as Slack
 * does. It can answer `ratelimited` (429 with Retry-After) to the next calls.
 */
export interface FakeSlackApi {
  url: string;
  calls: SlackCall[];
  throttleNext(n: number): void;
  close(): Promise<void>;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: SlackCall[] = [];
  let throttle = 0;
  let ts = 1_700_000_000;
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const args: Record<string, unknown> = (req.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(text || '{}') as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(text));
      for (const k of ['blocks', 'view'])
        if (typeof args[k] === 'string') args[k] = JSON.parse(args[k] as string);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (throttle > 0 && method !== 'auth.test') {
        throttle--;
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '0' });
      }
      calls.push({ method, args });
      switch (method) {
        case 'auth.test':
          return send(200, {
            ok: true,
            url: 'https://fake.slack.com/',
            team: 'Fake',
            user: 'backup-bot',
            team_id: 'T0FAKE',
            user_id: 'UBOT',
            bot_id: 'BBOT',
          });
        case 'chat.postMessage':
          return send(200, {
            ok: true,
            channel: args.channel,
            ts: `${++ts}.000100`,
            message: { text: args.text },
          });
        case 'chat.update':
          return send(200, { ok: true, channel: args.channel, ts: args.ts });
        case 'views.open':
          return send(200, { ok: true, view: { id: 'V0FAKE' } });
        default:
          return send(200, { ok: false, error: 'unknown_method' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    calls,
    throttleNext: (n) => void (throttle = n),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a request to the bot exactly as Slack signs it: HMAC-SHA256 over `v0:{timestamp}:{body}`. */
export async function sendSigned(
  url: string,
  secret: string,
  body: string,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  options: { timestamp?: number; forge?: boolean } = {},
): Promise<{ status: number; text: string }> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const mac = createHmac('sha256', options.forge ? 'not-the-secret' : secret)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex');
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${mac}`,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}
