import type {
  Activity,
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  ConversationReference,
  InvokeResponse,
} from 'botbuilder';
import {
  CallerIdConstants,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import type { View } from '../../cards/views.js';
import type { ChatRequest, ChatUser } from '../../chat/chat-request.js';
import type { TeamsSettings } from '../../config.js';
import { readJson, sendJson } from '../../http/http-helpers.js';
import type { RouteHandler } from '../../http/http-server.js';
import { isLoopbackUrl } from '../../http/loopback.js';
import type { Logger } from '../../logger.js';
import type { ChannelPort } from '../../conversation/channel-port.js';
import type { Conversation, Conversations } from '../../conversation/conversation.js';
import type { ConversationTarget, MessageRef } from '../../conversation/message-ref.js';
import type { DeliveryLog } from '../delivery-log.js';
import { SendRateLimiter, TEAMS_CONVERSATION_LIMITS } from '../send-rate-limiter.js';

export interface TeamsChannelOptions {
  settings: TeamsSettings;
  conversations: Conversations;
  /** Deliveries already handled (redeliveries are dropped). */
  deliveries: DeliveryLog;
  renderCard: (view: View) => Record<string, unknown>;
  logger: Logger;
}

/**
 * Where a Teams card lives: a conversation reference (where to send) and the card's activity id,
 * keyed `conversation:activityId` (the reference differs between two activities about one card).
 */
type TeamsMessageRef = MessageRef & { reference: Partial<ConversationReference>; activityId: string };

function teamsRef(reference: Partial<ConversationReference>, activityId: string): TeamsMessageRef {
  return { key: `${reference.conversation?.id ?? ''}:${activityId}`, reference, activityId };
}

// 500 included: the Bot Connector answers it for passing trouble on its side too.
const RETRYABLE = new Set([412, 429, 500, 502, 503, 504]);

/**
 * Microsoft Teams on botbuilder's CloudAdapter (the only folder that imports botbuilder). It
 * translates only: messages and card invokes become ChatRequests; views come back as Adaptive
 * Cards, posted, answered in the invoke response, or updated in place for the JobWatcher.
 */
export class TeamsChannel {
  readonly adapter: TurnRunner;
  private readonly auth: ConfigurationBotFrameworkAuthentication;
  private readonly bot: BackupBot;
  private readonly limiter = new SendRateLimiter(TEAMS_CONVERSATION_LIMITS);
  private readonly talk: Conversation;

  constructor(private readonly o: TeamsChannelOptions) {
    const s = o.settings;
    this.auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: s.appId ?? '',
      MicrosoftAppPassword: s.appPassword ?? '',
      MicrosoftAppType: s.appType,
      MicrosoftAppTenantId: s.tenantId ?? '',
      ...(s.openIdMetadataUrl ? keysFrom(s.openIdMetadataUrl) : {}),
    });
    this.adapter = new TurnRunner(this.auth);
    this.adapter.onTurnError = async (context, error) => {
      o.logger.error('teams turn failed', { error: error instanceof Error ? error.stack : String(error) });
      await context
        .sendActivity('Something went wrong on my side. It has been logged; please try again.')
        .catch(() => undefined);
    };
    if (!s.appId) {
      o.logger.warn(
        'TEAMS CHANNEL RUNS WITHOUT AUTHENTICATION (TEAMS_LOCAL_ONLY=true): any caller can post activities. Use only on a developer machine.',
      );
    }
    this.bot = new BackupBot(this);
    this.talk = o.conversations.attach(this.port);
  }

  /**
   * POST /api/messages. The request is authenticated here rather than inside CloudAdapter.process,
   * which answers 500 with the library's error text for some bad tokens (a signing key it could not
   * fetch, a malformed header) and writes to the console: any token that does not authenticate is a
   * 401 with a fixed body, and the reason goes to the log.
   */
  readonly routes: RouteHandler = async (req, res, url) => {
    if (url.pathname !== '/api/messages') return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return true;
    }
    const activity = (await readJson(req)) as Partial<Activity>;
    if (typeof activity.type !== 'string' || !activity.type) {
      sendJson(res, 400, {
        error: { code: 'validation.activity', message: 'Not a Bot Framework activity.' },
      });
      return true;
    }
    // Without an app id nothing is authenticated, and replies go to the activity's serviceUrl:
    // only a local emulator or fake may name where they go.
    if (!this.o.settings.appId && !isLoopbackUrl(String(activity.serviceUrl ?? ''))) {
      this.o.logger.warn('teams activity refused: local-only mode accepts only a loopback serviceUrl', {
        channelId: activity.channelId,
      });
      sendJson(res, 403, {
        error: { code: 'auth.forbidden', message: 'This bot accepts only local activities.' },
      });
      return true;
    }
    let authenticated: Authenticated;
    try {
      authenticated = await this.auth.authenticateRequest(
        activity as Activity,
        req.headers.authorization ?? '',
      );
    } catch (e) {
      this.o.logger.warn('teams request refused: authentication failed', {
        reason: (e instanceof Error ? e.message : String(e)).slice(0, 300),
      });
      sendJson(res, 401, { error: { code: 'auth.unauthenticated', message: 'Authentication failed.' } });
      return true;
    }
    // A failed turn is logged by onTurnError; the error itself is not the caller's business.
    const answer = await this.adapter
      .run(authenticated, activity as Activity, (context) => this.bot.run(context))
      .catch((e: unknown) => {
        this.o.logger.error('teams turn failed', { error: e instanceof Error ? e.stack : String(e) });
        return { status: 500, body: { error: { code: 'internal.error', message: 'Something went wrong.' } } };
      });
    if (answer?.body === undefined) res.writeHead(answer?.status ?? 200).end();
    else sendJson(res, answer.status, answer.body);
    return true;
  };

  /** The conversation core's way to Teams: a reply to the activity the target names, or an update. */
  readonly port: ChannelPort = {
    platform: 'teams',
    post: async (target, view) => {
      const reference = referenceOf(target);
      const activityId = await this.send(reference, view);
      return activityId ? teamsRef(reference, activityId) : undefined;
    },
    update: (ref, view) => this.sendUpdate(ref, view),
    classifyError: classifyConnectorError,
  };

  /**
   * Posts views nobody asked for (alerts) as new messages in a conversation the bot is in: a
   * proactive message through the conversation's Bot Connector.
   */
  poster(target: {
    conversationId: string;
    serviceUrl: string;
    tenantId?: string;
  }): (view: View) => Promise<void> {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: target.serviceUrl,
      conversation: {
        id: target.conversationId,
        isGroup: true,
        conversationType: 'channel',
        name: '',
        ...(target.tenantId ? { tenantId: target.tenantId } : {}),
      },
    };
    return async (view) => {
      await this.send(reference, view);
    };
  }

  /**
   * Posts a view outside a turn and returns the new message's id: a reply to the activity when
   * `reference` names one, else a new message in the conversation.
   */
  private async send(reference: Partial<ConversationReference>, view: View): Promise<string | undefined> {
    await this.limiter.acquire(reference.conversation?.id ?? '');
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.o.settings.appId ?? '', reference, async (context) => {
      // context.sendActivity would reply to the continuation event's made-up id, so the activity is
      // addressed from the reference itself (its activityId becomes the replyToId).
      const activity = TurnContext.applyConversationReference(
        { type: 'message', attachments: [this.card(view)] },
        reference,
      );
      id = (await context.adapter.sendActivities(context, [activity]))[0]?.id || undefined;
    });
    return id;
  }

  /**
   * A typed command. The turn ends at once (Teams gets its 200 before any work is done); the
   * conversation core answers it through the conversation reference, as the watcher's updates are.
   */
  onMessage(context: TurnContext): void {
    const { id, conversation } = context.activity;
    const request: ChatRequest = {
      platform: 'teams',
      user: userOf(context),
      conversationId: conversation.id,
      text: TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '',
      replyAddress: { serviceUrl: context.activity.serviceUrl, tenantId: conversation.tenantId },
    };
    const reference = TurnContext.getConversationReference(context.activity);
    void this.accept(request, reference, id ? `teams:${conversation.id}|${id}` : undefined);
  }

  private async accept(
    request: ChatRequest,
    reference: Partial<ConversationReference>,
    delivery: string | undefined,
  ): Promise<void> {
    try {
      // The Bot Framework may deliver an activity again (same id) when its first delivery was not
      // answered in time; running the command twice could start a second backup.
      if (delivery && !(await this.o.deliveries.firstTime(delivery))) {
        this.o.logger.info('teams redelivery ignored', { activityId: reference.activityId });
        return;
      }
      await this.talk.command({ reference }, request);
    } catch (e) {
      this.o.logger.error('teams command failed', { error: e instanceof Error ? e.stack : String(e) });
    }
  }

  /** An Action.Execute: an in-place answer goes in the invoke response, Teams shows it on the card. */
  async onCardAction(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const verb = value.action?.verb ?? '';
    const data = (value.action?.data ?? {}) as Record<string, unknown>;
    const request: ChatRequest = {
      platform: 'teams',
      user: userOf(context),
      conversationId: context.activity.conversation.id,
      action: { verb, data },
    };
    const reference = TurnContext.getConversationReference(context.activity);
    const cardId = context.activity.replyToId;
    const answer = await this.talk.press({ reference }, request, {
      ...(cardId ? { pressed: teamsRef(reference, cardId) } : {}),
      inResponse: true,
    });
    if (answer.inPlace) {
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: this.o.renderCard(answer.view),
      };
    }
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Done: see the new message.',
    } as never;
  }

  async onWelcome(context: TurnContext): Promise<void> {
    await context.sendActivity({
      attachments: [
        this.card({
          kind: 'message',
          tone: 'info',
          title: 'Hi, I am backup-chatops',
          text: 'I back up Azure VMs, Extended Zones included, and keep you posted while jobs run. Type "help" to see what you can do, or "backup myVM now".',
        }),
      ],
    });
  }

  private async sendUpdate(ref: MessageRef, view: View): Promise<void> {
    const reference = referenceOf(ref);
    await this.limiter.acquire(reference.conversation?.id ?? '');
    await this.adapter.continueConversationAsync(this.o.settings.appId ?? '', reference, async (context) => {
      await context.updateActivity({
        type: 'message',
        id: String(ref.activityId),
        attachments: [this.card(view)],
      });
    });
  }

  private card(view: View) {
    return CardFactory.adaptiveCard(this.o.renderCard(view));
  }
}

/** What botbuilder's authentication makes of a request: the caller's claims and how to answer it. */
type Authenticated = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/**
 * CloudAdapter, with the turn run on a request this channel has already authenticated: the
 * protected `processActivity` is the adapter's own step after authentication.
 */
class TurnRunner extends CloudAdapter {
  run(
    authenticated: Authenticated,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}

/**
 * Where incoming tokens' signing keys are read (tests: a local fake). Setting it makes botbuilder
 * take every endpoint from configuration, so the rest are the public cloud's own values.
 */
function keysFrom(openIdMetadataUrl: string): Record<string, string | boolean> {
  return {
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
}

/** The activity handler: routes Teams events to the channel's translators. */
class BackupBot extends TeamsActivityHandler {
  constructor(private readonly channel: TeamsChannel) {
    super();
    this.onMessage(async (context, next) => {
      this.channel.onMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id === botId))
        await this.channel.onWelcome(context);
      await next();
    });
  }

  protected override onAdaptiveCardInvoke(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return this.channel.onCardAction(context, value);
  }
}

/** The conversation reference a stored target or message reference carries. */
function referenceOf(stored: ConversationTarget): Partial<ConversationReference> {
  return stored.reference as Partial<ConversationReference>;
}

/** Roles are keyed by the AAD object id, never by display name. */
function userOf(context: TurnContext): ChatUser {
  const from = context.activity.from;
  return { id: from.aadObjectId ?? `teams:${from.id}`, name: from.name ?? 'Teams user' };
}

function classifyConnectorError(e: unknown): { retryAfterMs?: number } | undefined {
  const err = e as {
    statusCode?: number;
    response?: { headers?: { get?(name: string): string | undefined } };
  };
  if (!err.statusCode || !RETRYABLE.has(err.statusCode)) return undefined;
  const after = Number(err.response?.headers?.get?.('retry-after'));
  return Number.isFinite(after) && after >= 0 ? { retryAfterMs: after * 1000 } : {};
}
