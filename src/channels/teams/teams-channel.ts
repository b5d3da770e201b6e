import type { View } from '../../cards/views.js';
import type { ChatRequest, ConversationTarget, MessageRef } from '../../domain/index.js';
import type { TeamsSettings } from './teams-settings.js';
import { readJson, sendJson } from '../../http/http-helpers.js';
import type { RouteHandler } from '../../http/http-server.js';
import { isLoopbackUrl } from '../../domain/loopback.js';
import type { BotFrameworkTokenValidator } from '../../identity/bot-framework-token.js';
import type { Logger } from '../../logger.js';
import type { ChannelPort } from '../../conversation/channel-port.js';
import type { Conversation, Conversations } from '../../conversation/conversation.js';
import type { DeliveryLog } from '../delivery-log.js';
import { SendRateLimiter, TEAMS_CONVERSATION_LIMITS } from '../../conversation/send-rate-limiter.js';
import { classifyConnectorError } from './connector-errors.js';
import { createTeamsAdapter } from './create-teams-adapter.js';
import { activityShapeProblem, asActivity } from './teams-activity-shape.js';
import { botFrameworkTokenValidator } from './teams-token-endpoints.js';
import type { Authenticated, InvokeAnswer, TeamsAdapter, Turn } from './teams-adapter.js';
import type { ConversationReference, TeamsActivity } from './teams-activity.js';
import {
  adaptiveCardAttachment,
  cardUpdate,
  outgoingMessage,
  referenceOf,
  textWithoutMention,
  userOf,
} from './teams-activity.js';

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
type TeamsMessageRef = MessageRef & { reference: ConversationReference; activityId: string };

function teamsRef(reference: ConversationReference, activityId: string): TeamsMessageRef {
  return { key: `${reference.conversation.id}:${activityId}`, reference, activityId };
}

/** The conversation reference a stored target or message reference carries. */
function storedReference(stored: ConversationTarget): ConversationReference {
  return stored.reference as ConversationReference;
}

const APOLOGY = 'Something went wrong on my side. It has been logged; please try again.';

/**
 * Microsoft Teams, on whichever SDK `TEAMS_SDK` names (`createTeamsAdapter`). It translates only:
 * messages and card invokes become ChatRequests; views come back as Adaptive Cards, posted,
 * answered in the invoke response, or updated in place for the JobWatcher.
 */
export class TeamsChannel {
  private readonly adapter: TeamsAdapter;
  private readonly limiter = new SendRateLimiter(TEAMS_CONVERSATION_LIMITS);
  private readonly talk: Conversation;
  /** Checks every token when the bot has an app id; local-only mode has none to check. */
  private readonly tokens: BotFrameworkTokenValidator | undefined;

  constructor(private readonly o: TeamsChannelOptions) {
    this.adapter = createTeamsAdapter(o.settings, o.logger);
    this.tokens = o.settings.appId ? botFrameworkTokenValidator(o.settings, o.settings.appId) : undefined;
    if (!o.settings.appId) {
      o.logger.warn(
        'TEAMS CHANNEL RUNS WITHOUT AUTHENTICATION (TEAMS_LOCAL_ONLY=true): any caller can post activities. Use only on a developer machine.',
      );
    }
    this.talk = o.conversations.attach(this.port);
  }

  /**
   * POST /api/messages. A body that is no Bot Framework activity is a 400; then the token is
   * checked as the Bot Framework's connector-to-bot rules say (`BotFrameworkTokenValidator`, the
   * same for both SDKs), then by the SDK's own adapter, before anything is processed. Any request
   * that does not authenticate is a 401 with a fixed body (never the library's error text), and
   * the reason goes to the log. An authenticated activity's replies go to the service URL the
   * token signed.
   */
  readonly routes: RouteHandler = async (req, res, url) => {
    if (url.pathname !== '/api/messages') return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return true;
    }
    const body = await readJson(req);
    const problem = activityShapeProblem(body);
    if (problem) {
      this.o.logger.warn('teams activity refused: not a Bot Framework activity', { problem });
      sendJson(res, 400, {
        error: { code: 'validation.activity', message: 'Not a Bot Framework activity.' },
      });
      return true;
    }
    let activity = asActivity(body);
    // Without an app id nothing is authenticated, and replies go to the activity's serviceUrl:
    // only a local emulator, playground or fake may name where they go.
    if (!this.o.settings.appId && !isLoopbackUrl(activity.serviceUrl ?? '')) {
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
      const token = await this.tokens?.validate(req.headers.authorization, {
        channelId: activity.channelId ?? '',
        serviceUrl: activity.serviceUrl ?? '',
      });
      // Equal up to a trailing slash and case; the SDKs compare exactly, and replies go where signed.
      if (token?.serviceUrl) activity = { ...activity, serviceUrl: token.serviceUrl };
      authenticated = await this.adapter.authenticate(activity, req.headers.authorization, token);
    } catch (e) {
      this.o.logger.warn('teams request refused: authentication failed', {
        reason: (e instanceof Error ? e.message : String(e)).slice(0, 300),
      });
      sendJson(res, 401, { error: { code: 'auth.unauthenticated', message: 'Authentication failed.' } });
      return true;
    }
    // A failed turn is logged; the error itself is not the caller's business.
    const answer = await this.adapter
      .run(authenticated, activity, (turn) => this.onTurn(turn))
      .catch((e: unknown) => {
        this.o.logger.error('teams turn failed', { error: e instanceof Error ? e.stack : String(e) });
        return { status: 500, body: { error: { code: 'internal.error', message: 'Something went wrong.' } } };
      });
    if (answer.body === undefined) res.writeHead(answer.status).end();
    else sendJson(res, answer.status, answer.body);
    return true;
  };

  /** The conversation core's way to Teams: a reply to the activity the target names, or an update. */
  readonly port: ChannelPort = {
    platform: 'teams',
    post: async (target, view) => {
      const reference = storedReference(target);
      const activityId = await this.send(reference, view);
      return activityId ? teamsRef(reference, activityId) : undefined;
    },
    update: async (ref, view) => {
      const reference = storedReference(ref);
      await this.limiter.acquire(reference.conversation.id);
      await this.adapter.update(reference, cardUpdate(reference, String(ref.activityId), this.card(view())));
    },
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
    const reference: ConversationReference = {
      channelId: 'msteams',
      serviceUrl: target.serviceUrl,
      conversation: {
        id: target.conversationId,
        isGroup: true,
        conversationType: 'channel',
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
  private async send(reference: ConversationReference, view: View): Promise<string | undefined> {
    await this.limiter.acquire(reference.conversation.id);
    return this.adapter.send(reference, outgoingMessage(reference, this.card(view)));
  }

  /** Routes one incoming activity; a failure is logged and apologised for, never thrown at the SDK. */
  private async onTurn(turn: Turn): Promise<InvokeAnswer | undefined> {
    const { activity } = turn;
    try {
      if (activity.type === 'message') this.onMessage(activity);
      else if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action')
        return await this.onCardAction(activity);
      else if (activity.type === 'conversationUpdate') {
        const botId = activity.recipient?.id;
        if ((activity.membersAdded ?? []).some((m) => m.id === botId)) await this.welcome(turn);
      }
      return undefined;
    } catch (e) {
      this.o.logger.error('teams turn failed', { error: e instanceof Error ? e.stack : String(e) });
      await turn.reply({ type: 'message', text: APOLOGY }).catch(() => undefined);
      return activity.type === 'invoke'
        ? {
            statusCode: 500,
            type: 'application/vnd.microsoft.error',
            value: { code: 'internal.error', message: 'Something went wrong.' },
          }
        : undefined;
    }
  }

  /**
   * A typed command. The turn ends at once (Teams gets its 200 before any work is done); the
   * conversation core answers it through the conversation reference, as the watcher's updates are.
   */
  private onMessage(activity: TeamsActivity): void {
    const conversation = activity.conversation ?? { id: '' };
    const request: ChatRequest = {
      platform: 'teams',
      user: userOf(activity),
      conversationId: conversation.id,
      text: textWithoutMention(activity),
      replyAddress: { serviceUrl: activity.serviceUrl ?? '', tenantId: conversation.tenantId },
    };
    const delivery = activity.id ? `teams:${conversation.id}|${activity.id}` : undefined;
    void this.accept(request, referenceOf(activity), delivery);
  }

  private async accept(
    request: ChatRequest,
    reference: ConversationReference,
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
  private async onCardAction(activity: TeamsActivity): Promise<InvokeAnswer> {
    const action = (
      activity.value as { action?: { type?: string; verb?: string; data?: unknown } } | undefined
    )?.action;
    if (action?.type !== 'Action.Execute') {
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'NotSupported', message: 'Only Action.Execute is supported.' },
      };
    }
    const request: ChatRequest = {
      platform: 'teams',
      user: userOf(activity),
      conversationId: activity.conversation?.id ?? '',
      action: { verb: action.verb ?? '', data: (action.data ?? {}) as Record<string, unknown> },
    };
    const reference = referenceOf(activity);
    const cardId = activity.replyToId;
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
    };
  }

  private async welcome(turn: Turn): Promise<void> {
    await turn.reply({
      type: 'message',
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

  private card(view: View) {
    return adaptiveCardAttachment(this.o.renderCard(view));
  }
}
