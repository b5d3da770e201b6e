import { Activity } from '@microsoft/agents-activity';
import type { ConversationReference as AgentsReference } from '@microsoft/agents-activity';
import { CloudAdapter } from '@microsoft/agents-hosting';
import type { AuthConfiguration, Request, TurnContext, WebResponse } from '@microsoft/agents-hosting';
import type { TeamsSettings } from './teams-settings.js';
import type { Logger } from '../../logger.js';
import { retryPost } from '../../conversation/retry-post.js';
import { classifyConnectorError } from './connector-errors.js';
import type { VerifiedBotFrameworkToken } from '../../identity/bot-framework-token.js';
import type { ConversationReference, TeamsActivity } from './teams-activity.js';
import type { Authenticated, TeamsAdapter, TurnHandler, TurnResponse } from './teams-adapter.js';
import { invokeResponse, rethrowing } from './teams-adapter.js';

/** The caller's identity as the SDK reads it: a verified token's claims. */
type Identity = NonNullable<Request['user']>;
type AgentsAuthenticated = Authenticated & { identity: Identity };

/**
 * Teams on the Microsoft 365 Agents SDK's CloudAdapter (`@microsoft/agents-hosting`). Its
 * `process` trusts `request.user` as the caller's identity and never checks a token itself: only
 * the claims of a token the channel verified (`BotFrameworkTokenValidator`) reach it.
 */
export class AgentsTeamsAdapter implements TeamsAdapter {
  private readonly adapter: CloudAdapter;

  constructor(
    private readonly settings: TeamsSettings,
    logger: Logger,
  ) {
    // validateServiceUrl: a token whose serviceurl claim names another host is refused by the SDK
    // too (the channel refuses it first, so that it is a 401 like any other bad token).
    this.adapter = new CloudAdapter(authConfiguration(settings), undefined, undefined, {
      validateServiceUrl: true,
    });
    // The channel catches its own turn errors; this is for the SDK's (the default also sends
    // "please fix the source code" to the user).
    this.adapter.onTurnError = async (_context, error) => {
      logger.error('teams turn failed', { error: error instanceof Error ? error.stack : String(error) });
    };
  }

  /**
   * The identity the SDK's `process` trusts, built from the claims the channel verified; the SDK's
   * own JWT middleware is not used (it takes any token its Entra tenant signs for the app id,
   * whoever asked for it, and without a serviceurl claim).
   */
  async authenticate(
    _activity: TeamsActivity,
    _authorization: string | undefined,
    token: VerifiedBotFrameworkToken | undefined,
  ): Promise<Authenticated> {
    if (this.settings.appId && !token) throw new Error('no verified token for a bot with an app id');
    // Local-only mode: the anonymous identity the SDK gives requests without an app id.
    const identity: Identity = token ? { ...token.claims } : { name: 'anonymous' };
    const authenticated: AgentsAuthenticated = { sdk: 'agents', identity };
    return authenticated;
  }

  async run(
    authenticated: Authenticated,
    activity: TeamsActivity,
    handler: TurnHandler,
  ): Promise<TurnResponse> {
    const { identity } = authenticated as AgentsAuthenticated;
    const response = new CapturedResponse();
    const request: Request = {
      method: 'POST',
      headers: {},
      body: activity as unknown as Record<string, unknown>,
      user: identity,
    };
    await this.adapter.process(request, response, async (context) => {
      const reply = await handler({
        activity: context.activity as TeamsActivity,
        reply: async (a) => void (await context.sendActivity(Activity.fromObject(a))),
      });
      if (reply) await context.sendActivity(Activity.fromObject(invokeResponse(reply)));
    });
    return { status: response.statusCode ?? 200, body: response.body };
  }

  /**
   * botbuilder's connector client retries throttled and failing calls itself (Retry-After
   * honoured); the Agents SDK's does not, so a new message is retried here. Updates are not: the
   * conversation core's coalescing updater retries those, newest view first.
   */
  send(reference: ConversationReference, activity: TeamsActivity): Promise<string | undefined> {
    return retryPost(() => this.sendOnce(reference, activity), classifyConnectorError);
  }

  private async sendOnce(
    reference: ConversationReference,
    activity: TeamsActivity,
  ): Promise<string | undefined> {
    let id: string | undefined;
    await rethrowing(this.continuing(reference), async (context) => {
      // Sent as addressed (the replyToId from the reference), not as a reply to the continuation.
      id = (await this.adapter.sendActivities(context, [Activity.fromObject(activity)]))[0]?.id || undefined;
    });
    return id;
  }

  async update(reference: ConversationReference, activity: TeamsActivity): Promise<void> {
    await rethrowing(this.continuing(reference), async (context) => {
      await this.adapter.updateActivity(context, Activity.fromObject(activity));
    });
  }

  /** A turn outside any request, in the reference's conversation. */
  private continuing(reference: ConversationReference) {
    return (logic: (context: TurnContext) => Promise<void>) =>
      this.adapter.continueConversation(this.botIdentity, agentsReference(reference), logic);
  }

  /** The bot's app id; without one (local-only mode) an identity with no audience: anonymous. */
  private get botIdentity(): string | Identity {
    return this.settings.appId ?? {};
  }
}

/**
 * The SDK's connection settings: the app id whose identity the turns act as, and where outbound
 * tokens come from (the secret, a managed identity, or a Microsoft Entra SDK sidecar). Incoming
 * tokens are not the SDK's business here (see `authenticate`).
 */
function authConfiguration(s: TeamsSettings): AuthConfiguration {
  if (!s.appId) return {};
  const credential: AuthConfiguration =
    s.appType === 'UserAssignedMSI'
      ? { authType: 'UserManagedIdentity' }
      : s.tokenSidecarUrl
        ? { authType: 'EntraAuthSideCar', sidecarBaseUrl: s.tokenSidecarUrl }
        : { clientSecret: s.appPassword };
  return {
    clientId: s.appId,
    ...(s.tenantId ? { tenantId: s.tenantId } : {}),
    ...(s.authority ? { authority: s.authority } : {}),
    ...credential,
  };
}

/** Our reference is the Bot Framework's wire shape, which the Agents SDK reads as is. */
function agentsReference(reference: ConversationReference): AgentsReference {
  return reference as unknown as AgentsReference;
}

/** What the SDK writes to its response (a turn's answer), for the channel to send. */
class CapturedResponse implements WebResponse {
  statusCode: number | undefined;
  body: unknown;
  headersSent = false;
  writableEnded = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  setHeader(): this {
    return this;
  }
  send(body?: unknown): this {
    this.body = body;
    return this;
  }
  end(): this {
    this.writableEnded = true;
    return this;
  }
}
