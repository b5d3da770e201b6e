import { format } from 'node:util';
import type { WebClient } from '@slack/web-api';
import type { Logger as BoltLogger } from '@slack/bolt';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { View } from '../../cards/views.js';
import type { ChatRequest, ChatUser, Reply } from '../../chat/chat-request.js';
import type { SlackSettings } from '../../config.js';
import type { RouteHandler } from '../../http/http-server.js';
import { readBody } from '../../http/request-body.js';
import type { JobWatcher } from '../../jobs/job-watcher.js';
import type { Logger } from '../../logger.js';
import { answersInPlace } from '../answer-placement.js';
import type { ChannelSurface, CommandJournal } from '../command-journal.js';
import type { DeliveryLog } from '../delivery-log.js';
import { showAndWatch } from '../watch-reply.js';
import { CoalescingUpdater } from '../coalescing-updater.js';
import { SendRateLimiter } from '../send-rate-limiter.js';
import { WORK_CONCURRENCY, WorkQueue } from '../work-queue.js';
import { workingView } from '../working-view.js';
import { renderBlockKit } from './block-kit-renderer.js';

export interface SlackChannelOptions {
  settings: SlackSettings;
  handle: (request: ChatRequest) => Promise<Reply>;
  watcher: JobWatcher;
  logger: Logger;
  /** Deliveries already handled (redeliveries are dropped). */
  deliveries: DeliveryLog;
  /** Typed commands on record until answered. */
  journal: CommandJournal;
  /** Retries of one Web API call (tests: 0, or a failing fake makes the client retry for long). */
  webApiRetries?: number;
}

/** Where a Slack message lives: enough to update it from a later process. */
interface SlackMessageRef {
  channel: string;
  ts: string;
}

const EVENTS_PATH = '/slack/events';
const BUTTON = /^([a-z]+(?:\.[a-z-]+)+)#\d+$/;
const CONFIRM_VIEW = 'approval.confirm';

/**
 * Slack on @slack/bolt (the only folder that imports it): slash command, app mentions and direct
 * messages in; Block Kit messages out, updated in place with chat.update. HTTP mode mounts Bolt's
 * HTTPReceiver on the product's server (Bolt verifies the signature and timestamp); Socket Mode
 * connects out with the app token. ack() always comes first; the work follows.
 */
export class SlackChannel {
  readonly app: App;
  private readonly receiver: HTTPReceiver | undefined;
  private readonly updates: CoalescingUpdater<View>;
  // chat.update is a Tier 3 method: about 50 calls a minute per workspace (SLACK_UPDATES_PER_MINUTE).
  private readonly limiter: SendRateLimiter;
  private readonly work = new WorkQueue(WORK_CONCURRENCY);
  private stopping = false;

  constructor(private readonly o: SlackChannelOptions) {
    const s = o.settings;
    this.limiter = new SendRateLimiter([{ perMs: 60_000, max: s.updatesPerMinute }]);
    // Bolt, its receiver and its Web API client log through the project's JSON logger.
    const logger = boltLogger(o.logger);
    const clientOptions = {
      ...(s.apiUrl ? { slackApiUrl: `${s.apiUrl.replace(/\/+$/, '')}/` } : {}),
      retryConfig: { retries: o.webApiRetries ?? 3 },
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
    this.updates = new CoalescingUpdater(
      (key, view) => this.sendUpdate(JSON.parse(key) as SlackMessageRef, view),
      {
        classify: classifyWebApiError,
        onGiveUp: (key, e) =>
          o.logger.warn('slack message update given up', {
            error: e instanceof Error ? e.message : String(e),
            key,
          }),
      },
    );
    this.listen();
  }

  readonly routes: RouteHandler = async (req, res, url) => {
    if (!this.receiver || url.pathname !== EVENTS_PATH) return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return true;
    }
    // The body is read here, within its limit; Bolt uses a request's `rawBody` when it has one.
    this.receiver.requestListener(Object.assign(req, { rawBody: await readBody(req) }), res);
    return true;
  };

  /** Where messages go: updated in place (coalesced per message, retried on throttling), or posted. */
  readonly surface: ChannelSurface = {
    showOn: (messageRef, view) => this.updates.update(JSON.stringify(messageRef), view),
    postTo: async (target, view) => {
      const channel = String(target.channel);
      const posted = await this.app.client.chat.postMessage({ channel, ...renderBlockKit(view) });
      return posted.ts ? { channel, ts: posted.ts } : undefined;
    },
  };

  /** Posts views nobody asked for (alerts) as new messages in `channel`. */
  poster(channel: string): (view: View) => Promise<void> {
    return async (view) => {
      await this.surface.postTo({ channel }, view);
    };
  }

  /** Socket Mode connects out; HTTP mode needs nothing more than the route. */
  async start(): Promise<void> {
    if (this.o.settings.mode === 'socket') await this.app.start();
  }

  /**
   * Shutdown, first step: start no more queued commands (they stay on record for the next
   * process) and retry no update (a platform that is gone would hold the process for a minute).
   */
  beginStop(): void {
    this.stopping = true;
    this.work.stop();
    this.updates.stop();
  }

  /** Resolves once the commands being answered and the updates being sent are done. */
  async drain(): Promise<void> {
    await this.work.idle();
    await this.updates.idle();
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
    app.command(this.o.settings.command, async ({ command, ack, client }) => {
      await ack();
      await this.converse(
        client,
        command.channel_id,
        slackUser({
          enterprise: command.enterprise_id,
          team: command.team_id,
          user: command.user_id,
          name: command.user_name,
        }),
        command.text,
      );
    });
    app.event('app_mention', async ({ event, body, client }) => {
      const b = body as { team_id?: string; enterprise_id?: string };
      await this.converse(
        client,
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
    app.message(async ({ message, body, client }) => {
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
      await this.converse(client, m.channel, user, m.text ?? '');
    });
    app.action(BUTTON, async ({ ack, body, action, client }) => {
      await ack();
      const a = action as { action_id: string; value?: string };
      const verb = BUTTON.exec(a.action_id)?.[1] ?? '';
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
      const reply = await this.o.handle({
        platform: 'slack',
        user,
        conversationId: channel,
        action: { verb, data },
      });
      if (answersInPlace(verb, reply.view) && messageTs) {
        await this.show(reply, { channel, ts: messageTs }, async () => {
          await client.chat.update({ channel, ts: messageTs, ...renderBlockKit(reply.view) });
        });
      } else {
        // A new message's ts is known only once it is posted: watched from then on.
        const posted = await client.chat.postMessage({ channel, ...renderBlockKit(reply.view) });
        if (posted.ts) await this.show(reply, { channel, ts: posted.ts }, async () => undefined);
      }
    });
    app.view(CONFIRM_VIEW, async ({ ack, view, body, client }) => {
      const meta = parseValue(view.private_metadata);
      const typed = view.state.values.confirm?.name?.value ?? '';
      if (!typed.trim()) {
        await ack({ response_action: 'errors', errors: { confirm: 'Type the name to approve.' } });
        return;
      }
      await ack();
      const user = interactingUser(body as InteractionIds);
      const reply = await this.o.handle({
        platform: 'slack',
        user,
        conversationId: meta.channel ?? '',
        action: { verb: 'approval.approve', data: { approvalId: meta.approvalId, confirmName: typed } },
      });
      // The decision answers on the request's message; a refusal goes in a new one, keeping the request open.
      if (meta.channel && meta.ts && answersInPlace('approval.approve', reply.view)) {
        await client.chat.update({ channel: meta.channel, ts: meta.ts, ...renderBlockKit(reply.view) });
      } else if (meta.channel) {
        await client.chat.postMessage({ channel: meta.channel, ...renderBlockKit(reply.view) });
      }
    });
    app.error(async (error) => {
      this.o.logger.error('slack handler failed', {
        code: (error as { code?: string }).code,
        error: error.message,
      });
    });
  }

  /** A typed command: acknowledged with a "working" message that the answer replaces. */
  private async converse(client: WebClient, channel: string, user: ChatUser, text: string): Promise<void> {
    const request: ChatRequest = { platform: 'slack', user, conversationId: channel, text };
    // On record before it waits: once acknowledged, a command is answered even if this process dies.
    const entry = await this.o.journal.open('slack', { channel }, request);
    // Everything after the ack waits its turn (see WorkQueue), so a burst cannot delay the next acks.
    await this.work.run(async () => {
      let shown = false;
      try {
        const placeholder = await client.chat.postMessage({
          channel,
          ...renderBlockKit(workingView(text.trim() || 'help')),
        });
        const ts = placeholder.ts;
        if (!ts) return;
        const ref = { channel, ts };
        await entry.placed(ref);
        const reply = await this.o.handle(request);
        // Through the updater (retried on 429 and 5xx, ordered with the watcher's updates). An
        // update given up (logged by the updater) is repainted by the watcher's next round.
        shown = await this.show(reply, ref, () => this.surface.showOn(ref, reply.view)).then(
          () => true,
          () => false,
        );
      } finally {
        // An answer not shown during shutdown stays on record: the next process shows it.
        if (shown || !this.stopping) await entry.done();
      }
    });
  }

  private show(reply: Reply, ref: SlackMessageRef, show: () => Promise<void>): Promise<void> {
    return showAndWatch(this.o.watcher, reply, 'slack', { ...ref }, show);
  }

  private async sendUpdate(ref: SlackMessageRef, view: View): Promise<void> {
    await this.limiter.acquire('workspace');
    await this.app.client.chat.update({ channel: ref.channel, ts: ref.ts, ...renderBlockKit(view) });
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

function classifyWebApiError(e: unknown): { retryAfterMs?: number } | undefined {
  const err = e as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (err.code === 'slack_webapi_rate_limited_error') return { retryAfterMs: (err.retryAfter ?? 1) * 1000 };
  if (err.data?.error === 'ratelimited' || err.data?.error === 'internal_error') return {};
  if (err.code === 'slack_webapi_request_error' || err.code === 'slack_webapi_http_error') return {};
  return undefined;
}
