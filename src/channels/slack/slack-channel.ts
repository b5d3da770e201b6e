import { format } from 'node:util';
import type { Logger as BoltLogger } from '@slack/bolt';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { View } from '../../cards/views.js';
import type { ChatUser, MessageRef } from '../../domain/index.js';
import type { SlackSettings } from './slack-settings.js';
import type { RouteHandler } from '../../http/http-server.js';
import { readBody } from '../../http/request-body.js';
import type { Logger } from '../../logger.js';
import type { ChannelPort } from '../../conversation/channel-port.js';
import type { Conversation, Conversations } from '../../conversation/conversation.js';
import { SHOWN_IN_ACK } from '../../conversation/conversation.js';
import type { DeliveryLog } from '../delivery-log.js';
import { retryPost } from '../../conversation/retry-post.js';
import { SendRateLimiter } from '../../conversation/send-rate-limiter.js';
import { renderBlockKit } from './block-kit-renderer.js';
import { SlackReplayGuard } from './slack-replay-guard.js';

export interface SlackChannelOptions {
  settings: SlackSettings;
  conversations: Conversations;
  logger: Logger;
  /** Deliveries already handled (redeliveries are dropped). */
  deliveries: DeliveryLog;
  /** Retries of one Web API call (tests: 0, or a failing fake makes the client retry for long). */
  webApiRetries?: number;
}

/** Where a Slack message lives, keyed `channel:ts`. */
function slackRef(channel: string, ts: string): MessageRef {
  return { key: `${channel}:${ts}`, channel, ts };
}

const EVENTS_PATH = '/slack/events';
const BUTTON = /^([a-z]+(?:\.[a-z-]+)+)#\d+$/;
const CONFIRM_VIEW = 'approval.confirm';

/**
 * Slack on @slack/bolt (the only folder that imports it): slash command, app mentions and direct
 * messages in; Block Kit messages out, updated in place with chat.update. HTTP mode mounts Bolt's
 * HTTPReceiver on the product's server (Bolt verifies the signature and timestamp); Socket Mode
 * connects out with the app token. ack() always comes first; the work follows.
 *
 * chat.update (Tier 3, about 50 a minute per workspace) is the scarce budget, shared by answers
 * and the watched jobs' progress, so a slash command spends none of it: its ack carries the
 * "Working on it…" view (ephemeral: only its sender sees it), and its answer is a new message in
 * the channel — through the command's `response_url` (up to 5 uses in 30 minutes, outside the Web
 * API tiers, needs no scope) when it needs no id later, else with chat.postMessage (a job card
 * that the watcher updates, an approval card that its outcome updates: response_url gives no ts).
 * `replace_original` is not used: Slack documents it for messages with interactive elements,
 * and for a slash command's response it posts a new message (bolt-js #2287, bolt-python #1268).
 */
export class SlackChannel {
  readonly app: App;
  private readonly receiver: HTTPReceiver | undefined;
  private readonly replays: SlackReplayGuard | undefined;
  // chat.update is a Tier 3 method: about 50 calls a minute per workspace (SLACK_UPDATES_PER_MINUTE).
  private readonly limiter: SendRateLimiter;
  private readonly talk: Conversation;

  constructor(private readonly o: SlackChannelOptions) {
    const s = o.settings;
    this.limiter = new SendRateLimiter([{ perMs: 60_000, max: s.updatesPerMinute }]);
    // Bolt, its receiver and its Web API client log through the project's JSON logger.
    const logger = boltLogger(o.logger);
    const clientOptions = {
      ...(s.apiUrl ? { slackApiUrl: `${s.apiUrl.replace(/\/+$/, '')}/` } : {}),
      retryConfig: { retries: o.webApiRetries ?? 3 },
      // A 429 comes back to us at once instead of being waited out inside the client: updates are
      // retried by the conversation's updater and posts here, so only one layer retries (and
      // knows the send is waiting).
      rejectRateLimitedCalls: true,
      logger,
    };
    if (s.mode === 'socket') {
      this.app = new App({
        token: s.botToken,
        appToken: s.appToken,
        socketMode: true,
        clientOptions,
        logger,
        logLevel: LogLevel.WARN,
      });
    } else {
      this.replays = new SlackReplayGuard({ signingSecret: s.signingSecret ?? '', deliveries: o.deliveries });
      this.receiver = new HTTPReceiver({
        signingSecret: s.signingSecret ?? '',
        endpoints: EVENTS_PATH,
        logger,
        logLevel: LogLevel.WARN,
      });
      this.app = new App({
        token: s.botToken,
        receiver: this.receiver,
        clientOptions,
        logger,
        logLevel: LogLevel.WARN,
      });
    }
    this.talk = o.conversations.attach(this.port);
    this.listen();
  }

  readonly routes: RouteHandler = async (req, res, url) => {
    if (!this.receiver || url.pathname !== EVENTS_PATH) return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return true;
    }
    // The body is read here, within its limit; Bolt uses a request's `rawBody` when it has one.
    const rawBody = await readBody(req);
    const verdict = await this.replays!.check(req.headers, rawBody.toString('utf8'));
    if (verdict === 'out-of-window') {
      this.o.logger.warn('slack request refused: timestamp outside the 5-minute window', {
        timestamp: String(req.headers['x-slack-request-timestamp'] ?? ''),
      });
      res.writeHead(401).end();
      return true;
    }
    if (verdict === 'replayed') {
      // Answered once already: this copy runs nothing (and a 200 keeps an honest duplicate quiet).
      this.o.logger.warn('slack request replayed: ignored', {
        timestamp: String(req.headers['x-slack-request-timestamp'] ?? ''),
      });
      res.writeHead(200).end();
      return true;
    }
    this.receiver.requestListener(Object.assign(req, { rawBody }), res);
    return true;
  };

  /** The conversation core's way to Slack: chat.postMessage, and chat.update under its rate limit. */
  readonly port: ChannelPort = {
    platform: 'slack',
    post: async (target, view) => {
      const channel = String(target.channel);
      const posted = await retryPost(
        () => this.app.client.chat.postMessage({ channel, ...renderBlockKit(view) }),
        rateLimited,
      );
      return posted.ts ? slackRef(channel, posted.ts) : undefined;
    },
    update: async (ref, view) => {
      await this.limiter.acquire('workspace');
      await this.app.client.chat.update({
        channel: String(ref.channel),
        ts: String(ref.ts),
        ...renderBlockKit(view()),
      });
    },
    classifyError: classifyWebApiError,
    respond: async (target, view) => {
      if (typeof target.responseUrl !== 'string') return false;
      const url = target.responseUrl;
      return retryPost(() => this.respond(url, view, 'in_channel'), rateLimited);
    },
    // One of the URL's 5 posts: the answer still has its own (and the fallback to a post).
    notify: async (target, view) =>
      typeof target.responseUrl === 'string' && this.respond(target.responseUrl, view, 'ephemeral'),
    updateWaitMs: () => this.limiter.answerWaitMs('workspace'),
  };

  /**
   * One post through a slash command's response_url: an answer shown to the channel, or a note
   * only its sender sees (`ephemeral`). False when Slack refuses the URL (used 5 times, or older
   * than 30 minutes): the core posts instead. A 429 is thrown as the Web API client's is, so the
   * same retry applies; another failure is thrown.
   */
  private async respond(url: string, view: View, responseType: 'in_channel' | 'ephemeral'): Promise<boolean> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: responseType, ...renderBlockKit(view) }),
      signal: AbortSignal.timeout(RESPOND_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    if (res.ok) return true;
    if (res.status === 429)
      throw Object.assign(new Error('response_url rate limited'), {
        code: RATE_LIMITED,
        retryAfter: Number(res.headers.get('retry-after') ?? 1),
      });
    if (res.status >= 400 && res.status < 500) return false;
    throw new Error(`response_url answered ${res.status}`);
  }

  /** Posts views nobody asked for (alerts) as new messages in `channel`. */
  poster(channel: string): (view: View) => Promise<void> {
    return async (view) => {
      await this.talk.post({ channel }, view);
    };
  }

  /** Socket Mode connects out; HTTP mode needs nothing more than the route. */
  async start(): Promise<void> {
    if (this.o.settings.mode === 'socket') await this.app.start();
  }

  async stop(): Promise<void> {
    if (this.o.settings.mode === 'socket') await this.app.stop();
  }

  private listen(): void {
    const { app } = this;
    // Slack redelivers an event (same event_id, X-Slack-Retry-Num) whose ack it did not see in
    // time; running the command again could start a second backup. Events are acked before
    // middleware runs, so a dropped redelivery still gets its 200.
    app.use(async ({ body, context, next }) => {
      const eventId = (body as { event_id?: unknown }).event_id;
      if (typeof eventId === 'string' && !(await this.o.deliveries.firstTime(`slack:${eventId}`))) {
        this.o.logger.info('slack redelivery ignored', { eventId, retryNum: context.retryNum });
        return;
      }
      await next();
    });
    app.command(this.o.settings.command, async ({ command, ack }) => {
      const channel = command.channel_id;
      const request = {
        platform: 'slack' as const,
        user: slackUser({
          enterprise: command.enterprise_id,
          team: command.team_id,
          user: command.user_id,
          name: command.user_name,
        }),
        conversationId: channel,
        text: command.text,
      };
      // The working view in the ack itself (ephemeral, the default): no Web API call at all.
      await ack(renderBlockKit(this.talk.acknowledgement(request)));
      await this.talk.command({ channel, responseUrl: command.response_url }, request, SHOWN_IN_ACK);
    });
    app.event('app_mention', async ({ event, body }) => {
      const b = body as { team_id?: string; enterprise_id?: string };
      await this.converse(
        event.channel,
        slackUser({
          enterprise: b.enterprise_id,
          team: b.team_id ?? event.team,
          user: event.user ?? '',
          name: event.user ?? 'Slack user',
        }),
        event.text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' '),
      );
    });
    app.message(async ({ message, body }) => {
      const m = message as {
        channel_type?: string;
        subtype?: string;
        bot_id?: string;
        user?: string;
        text?: string;
        channel: string;
      };
      if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
      const b = body as { team_id?: string; enterprise_id?: string };
      const user = slackUser({ enterprise: b.enterprise_id, team: b.team_id, user: m.user, name: m.user });
      await this.converse(m.channel, user, m.text ?? '');
    });
    app.action(BUTTON, async ({ ack, body, action, client }) => {
      await ack();
      const a = action as { action_id: string; value?: string };
      const verb = BUTTON.exec(a.action_id)?.[1] ?? '';
      // Slack reports presses on link buttons too; the browser already opened the link.
      if (verb.startsWith('link.')) return;
      const data = parseValue(a.value);
      const b = body as InteractionIds & {
        channel?: { id: string };
        message?: { ts: string };
        trigger_id: string;
      };
      const user = interactingUser(b);
      const channel = b.channel?.id ?? '';
      const messageTs = b.message?.ts;
      if (verb === 'approval.approve') {
        // The portal asks the approver to type the item's name: a modal with a text input.
        await client.views.open({ trigger_id: b.trigger_id, view: confirmModal(data, channel, messageTs) });
        return;
      }
      await this.talk.press(
        { channel },
        { platform: 'slack', user, conversationId: channel, action: { verb, data } },
        messageTs ? { pressed: slackRef(channel, messageTs) } : {},
      );
    });
    app.view(CONFIRM_VIEW, async ({ ack, view, body }) => {
      const meta = parseValue(view.private_metadata);
      const typed = view.state.values.confirm?.name?.value ?? '';
      if (!typed.trim()) {
        await ack({ response_action: 'errors', errors: { confirm: 'Type the name to approve.' } });
        return;
      }
      await ack();
      const user = interactingUser(body as InteractionIds);
      if (!meta.channel) return;
      // The decision answers on the request's message; a refusal goes in a new one, keeping the request open.
      await this.talk.press(
        { channel: meta.channel },
        {
          platform: 'slack',
          user,
          conversationId: meta.channel,
          action: { verb: 'approval.approve', data: { approvalId: meta.approvalId, confirmName: typed } },
        },
        meta.ts ? { pressed: slackRef(meta.channel, meta.ts) } : {},
      );
    });
    app.error(async (error) => {
      this.o.logger.error('slack handler failed', {
        code: (error as { code?: string }).code,
        error: error.message,
      });
    });
  }

  /** A typed command: acknowledged with a "working" message that the answer replaces. */
  private converse(channel: string, user: ChatUser, text: string): Promise<void> {
    return this.talk.command({ channel }, { platform: 'slack', user, conversationId: channel, text });
  }
}

/**
 * One Slack person, one key. In Enterprise Grid a user id is the same in every workspace of the
 * organisation, and an org-wide app hears the person from each of them: keyed by workspace, one
 * person would count as two (and could approve their own request from another workspace). So a
 * Grid user is `enterprise:user`, listed in roles that way or by `team:user` of the workspace they
 * act from; outside Grid a user is `team:user`.
 */
function slackUser(ids: {
  enterprise?: string | null;
  team?: string | null;
  user: string;
  name: string;
}): ChatUser {
  const byTeam = `${ids.team ?? ''}:${ids.user}`;
  if (!ids.enterprise) return { id: byTeam, name: ids.name };
  return { id: `${ids.enterprise}:${ids.user}`, name: ids.name, ...(ids.team ? { roleIds: [byTeam] } : {}) };
}

/** Who pressed a button or submitted a modal: org-wide installs send `team: null`. */
interface InteractionIds {
  user: { id: string; name?: string; team_id?: string };
  team?: { id: string; enterprise_id?: string } | null;
  enterprise?: { id: string } | null;
}

function interactingUser(b: InteractionIds): ChatUser {
  return slackUser({
    enterprise: b.enterprise?.id ?? b.team?.enterprise_id,
    team: b.team?.id ?? b.user.team_id,
    user: b.user.id,
    name: b.user.name ?? b.user.id,
  });
}

/** Bolt's logger interface on the project's logger; Bolt's own text goes in the `text` field. */
function boltLogger(log: Logger): BoltLogger {
  const rank = { [LogLevel.DEBUG]: 0, [LogLevel.INFO]: 1, [LogLevel.WARN]: 2, [LogLevel.ERROR]: 3 };
  let level = LogLevel.WARN;
  let name = 'bolt';
  const line =
    (at: LogLevel, write: Logger['info']) =>
    (...msg: unknown[]) => {
      if (rank[at] >= rank[level])
        write('slack library', { source: name, text: format(...msg).slice(0, 2000) });
    };
  return {
    debug: () => undefined,
    info: line(LogLevel.INFO, (m, f) => log.info(m, f)),
    warn: line(LogLevel.WARN, (m, f) => log.warn(m, f)),
    error: line(LogLevel.ERROR, (m, f) => log.error(m, f)),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: (n) => void (name = n),
  };
}

function confirmModal(data: Record<string, string>, channel: string, ts: string | undefined) {
  return {
    type: 'modal' as const,
    callback_id: CONFIRM_VIEW,
    private_metadata: JSON.stringify({ approvalId: data.approvalId ?? '', channel, ...(ts ? { ts } : {}) }),
    title: { type: 'plain_text' as const, text: 'Approve' },
    submit: { type: 'plain_text' as const, text: 'Approve' },
    close: { type: 'plain_text' as const, text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'confirm',
        label: { type: 'plain_text' as const, text: 'Type the name of the resource to approve' },
        element: { type: 'plain_text_input' as const, action_id: 'name' },
      },
    ],
  };
}

function parseValue(value: string | undefined): Record<string, string> {
  try {
    const v: unknown = JSON.parse(value ?? '{}');
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    }
  } catch {
    // A button value that is not ours: no data.
  }
  return {};
}

const RATE_LIMITED = 'slack_webapi_rate_limited_error';
/** A response_url call that hangs is given up (and the command answered again later). */
const RESPOND_TIMEOUT_MS = 10_000;
/**
 * A post is tried again on Slack's 429 only (the client rejects those at once); one that failed
 * otherwise may have been made, and trying it again could post it twice.
 */
function rateLimited(e: unknown): { retryAfterMs?: number } | undefined {
  return (e as { code?: string }).code === RATE_LIMITED ? classifyWebApiError(e) : undefined;
}

function classifyWebApiError(e: unknown): { retryAfterMs?: number } | undefined {
  const err = e as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (err.code === RATE_LIMITED) return { retryAfterMs: (err.retryAfter ?? 1) * 1000 };
  if (err.data?.error === 'ratelimited' || err.data?.error === 'internal_error') return {};
  if (err.code === 'slack_webapi_request_error' || err.code === 'slack_webapi_http_error') return {};
  return undefined;
}
