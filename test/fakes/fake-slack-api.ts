import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatFaults, FaultCounts } from './chat-faults.js';
import { ChatFaultDecider } from './chat-faults.js';

export interface SlackCall {
  /** A Web API method, or `response_url` for a post to a slash command's response URL. */
  method: string;
  args: Record<string, unknown>;
  /** The ts a chat.postMessage was answered with: the message's id for later updates. */
  ts?: string;
  /** When the call arrived (wall clock, ms): orders calls against what the test did, in failure reports. */
  at: number;
  /** The bot token it carried: tells apart bots (replicas) given different tokens. */
  token?: string;
  /** For `response_url`: which command's URL (its path, `/commands/<n>`). */
  responseUrl?: string;
}

/**
 * A local Slack Web API: the methods the bot calls (auth.test, chat.postMessage, chat.update,
 * views.open), recorded with their arguments (JSON-encoded fields decoded) and answered as Slack
 * does; and slash commands' response URLs (`/commands/<n>`, recorded as method `response_url`),
 * each taking 5 posts as Slack's do, then answering 404 `used_url`. It can answer `ratelimited`
 * (429 with Retry-After) to the next calls, and, with `faults`, answer 429 or 5xx to a seeded
 * share of chat.postMessage, chat.update and response_url calls.
 */
export interface FakeSlackApi {
  url: string;
  calls: SlackCall[];
  /** A `/backup` slash command's body (slashCommandBody) with a response URL of this fake. */
  commandBody(text: string, user?: string): string;
  throttleNext(n: number): void;
  /** From now on requests are read and held open, never answered: a platform that is gone. */
  stopAnswering(): void;
  /** Requests held unanswered since stopAnswering (method names). */
  held: string[];
  /** Random faults on posts and updates from now on (undefined: none). */
  setFaults(faults: ChatFaults | undefined): void;
  faultCounts: FaultCounts;
  close(): Promise<void>;
}

const FAULTY_METHODS = new Set(['chat.postMessage', 'chat.update', 'response_url']);
/** Posts Slack takes on one slash command's response_url. */
const RESPONSE_URL_USES = 5;

export async function startFakeSlackApi(options: { faults?: ChatFaults } = {}): Promise<FakeSlackApi> {
  const calls: SlackCall[] = [];
  const faults = new ChatFaultDecider(options.faults);
  let throttle = 0;
  let silent = false;
  const held: string[] = [];
  let ts = 1_700_000_000;
  let commands = 0;
  const uses = new Map<string, number>();
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const responseUrl = path.startsWith('/commands/') ? path : undefined;
      const method = responseUrl ? 'response_url' : path.replace(/^\/api\//, '');
      if (silent) {
        held.push(method);
        return;
      }
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
      const fault = FAULTY_METHODS.has(method) ? faults.decide() : undefined;
      // Slack's rate limit answer: 429, Retry-After in seconds, {ok:false,error:"ratelimited"}.
      if (fault?.kind === 'throttle')
        return send(
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(fault.retryAfterSeconds) },
        );
      if (fault?.kind === 'error') return send(fault.status, { ok: false, error: 'internal_error' });
      const token =
        /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (args.token as string | undefined);
      if (responseUrl) {
        const used = (uses.get(responseUrl) ?? 0) + 1;
        uses.set(responseUrl, used);
        if (used > RESPONSE_URL_USES) return send(404, { ok: false, error: 'used_url' });
        calls.push({ method, args, at: Date.now(), responseUrl });
        return send(200, { ok: true });
      }
      calls.push({ method, args, at: Date.now(), ...(token ? { token } : {}) });
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
        case 'chat.postMessage': {
          const posted = `${++ts}.000100`;
          calls.at(-1)!.ts = posted;
          return send(200, { ok: true, channel: args.channel, ts: posted, message: { text: args.text } });
        }
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
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/api`,
    calls,
    commandBody: (text, user) => slashCommandBody(text, user, `${origin}/commands/${++commands}`),
    throttleNext: (n) => void (throttle = n),
    stopAnswering: () => void (silent = true),
    held,
    setFaults: (f) => faults.set(f),
    faultCounts: faults.counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The headers with which Slack signs a request: HMAC-SHA256 over `v0:{timestamp}:{body}`. */
export function slackSignatureHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const mac = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${mac}` };
}

/** Sends a request to the bot exactly as Slack signs it. */
export async function sendSigned(
  url: string,
  secret: string,
  body: string,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  options: { timestamp?: number; forge?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...slackSignatureHeaders(options.forge ? 'not-the-secret' : secret, body, options.timestamp),
      ...options.headers,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/**
 * A `/backup` slash command as Slack posts it (form-encoded), from `user` in channel C0OPS, with
 * `responseUrl` as its response_url (FakeSlackApi.commandBody gives one of the fake's).
 */
export function slashCommandBody(text: string, user: string | undefined, responseUrl: string): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: 'C0OPS',
    channel_name: 'ops',
    user_id: user ?? 'UALICE',
    user_name: (user ?? 'UALICE').toLowerCase(),
    command: '/backup',
    text,
    response_url: responseUrl,
    trigger_id: 'trigger-1',
    api_app_id: 'A0FAKE',
  }).toString();
}

/** An Events API delivery (JSON) of `event`, with `eventId` (Slack keeps it on a retry). */
export function eventCallbackBody(
  event: Record<string, unknown>,
  eventId = `Ev${Date.now()}${Math.random()}`,
): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T0FAKE',
    api_app_id: 'A0FAKE',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
}

/** An `app_mention` of the bot by UALICE in C0OPS. */
export function mentionEventBody(eventId: string, text: string): string {
  return eventCallbackBody(
    { type: 'app_mention', user: 'UALICE', text: `<@UBOT> ${text}`, channel: 'C0OPS', ts: '1.1' },
    eventId,
  );
}

/**
 * The settings of a bot process whose Slack app is this fake: token, signing secret, API URL, and
 * no Tier 3 pacing (the fake enforces none; hundreds of updates at 50 a minute would take minutes).
 */
export function slackEnvFor(slack: FakeSlackApi, signingSecret: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.url,
    SLACK_UPDATES_PER_MINUTE: '10000',
  };
}
