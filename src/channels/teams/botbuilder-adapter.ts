import type {
  Activity,
  ConversationReference as BotConversationReference,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { TeamsSettings } from './teams-settings.js';
import type { Logger } from '../../logger.js';
import type { VerifiedBotFrameworkToken } from '../../identity/bot-framework-token.js';
import type { ConversationReference, TeamsActivity } from './teams-activity.js';
import { incomingTokenEndpoints } from './teams-token-endpoints.js';
import type { Authenticated, TeamsAdapter, TurnHandler, TurnResponse } from './teams-adapter.js';
import { invokeResponse, rethrowing } from './teams-adapter.js';

/** What botbuilder's authentication makes of a request: the caller's claims and how to answer it. */
type BotAuthentication = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type BotbuilderAuthenticated = Authenticated & { auth: BotAuthentication };

/**
 * Teams on botbuilder's CloudAdapter (archived upstream, support ended 2025-12-31; kept as
 * TEAMS_SDK=botbuilder while deployments move to the Agents SDK). A request the channel has
 * authenticated is checked again by botbuilder's own `authenticateRequest` before the turn runs.
 */
export class BotbuilderTeamsAdapter implements TeamsAdapter {
  private readonly auth: ConfigurationBotFrameworkAuthentication;
  private readonly adapter: TurnRunner;

  constructor(
    private readonly settings: TeamsSettings,
    logger: Logger,
  ) {
    const s = settings;
    this.auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: s.appId ?? '',
      MicrosoftAppPassword: s.appPassword ?? '',
      // Local-only mode has no registration: its SingleTenant default would ask for a tenant.
      MicrosoftAppType: s.appId ? s.appType : 'MultiTenant',
      MicrosoftAppTenantId: s.tenantId ?? '',
      ...(s.openIdMetadataUrl || s.authority ? keysFrom(s) : {}),
    });
    this.adapter = new TurnRunner(this.auth);
    // The channel catches its own turn errors; this is for the SDK's.
    this.adapter.onTurnError = async (_context, error) => {
      logger.error('teams turn failed', { error: error instanceof Error ? error.stack : String(error) });
    };
  }

  /**
   * botbuilder's own `authenticateRequest` on top of the channel's check: a second opinion, and the
   * claims and connector factory its CloudAdapter runs the turn with.
   */
  async authenticate(
    activity: TeamsActivity,
    authorization: string | undefined,
    token: VerifiedBotFrameworkToken | undefined,
  ): Promise<Authenticated> {
    if (this.settings.appId && !token) throw new Error('no verified token for a bot with an app id');
    const auth = await this.auth.authenticateRequest(activity as Activity, authorization ?? '');
    const authenticated: BotbuilderAuthenticated = { sdk: 'botbuilder', auth };
    return authenticated;
  }

  async run(
    authenticated: Authenticated,
    activity: TeamsActivity,
    handler: TurnHandler,
  ): Promise<TurnResponse> {
    const { auth } = authenticated as BotbuilderAuthenticated;
    const answer = await this.adapter.run(auth, activity as Activity, async (context) => {
      const reply = await handler({
        activity: context.activity as TeamsActivity,
        reply: async (a) => void (await context.sendActivity(a as Partial<Activity>)),
      });
      if (reply) await context.sendActivity(invokeResponse(reply) as Partial<Activity>);
    });
    return { status: answer?.status ?? 200, body: answer?.body };
  }

  async send(reference: ConversationReference, activity: TeamsActivity): Promise<string | undefined> {
    let id: string | undefined;
    await rethrowing(this.continuing(reference), async (context) => {
      // context.sendActivity would reply to the continuation event's made-up id, so the activity is
      // sent as addressed (its replyToId from the reference).
      id =
        (await context.adapter.sendActivities(context, [activity as Partial<Activity>]))[0]?.id || undefined;
    });
    return id;
  }

  async update(reference: ConversationReference, activity: TeamsActivity): Promise<void> {
    await rethrowing(this.continuing(reference), async (context) => {
      await context.adapter.updateActivity(context, activity as Partial<Activity>);
    });
  }

  /** A turn outside any request, in the reference's conversation. */
  private continuing(reference: ConversationReference) {
    return (logic: (context: TurnContext) => Promise<void>) =>
      this.adapter.continueConversationAsync(this.settings.appId ?? '', botReference(reference), logic);
  }
}

/** Our reference is botbuilder's own wire shape; only the optional fields' types differ. */
function botReference(reference: ConversationReference): Partial<BotConversationReference> {
  return reference as Partial<BotConversationReference>;
}

/**
 * CloudAdapter, with the turn run on a request this channel has already authenticated: the
 * protected `processActivity` is the adapter's own step after authentication.
 */
class TurnRunner extends CloudAdapter {
  run(
    authenticated: BotAuthentication,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}

/**
 * Where incoming tokens' signing keys are read: the channel's own endpoints (tests: a local fake).
 * Setting them makes botbuilder take every endpoint from configuration, so the rest are the public
 * cloud's own values.
 */
function keysFrom(s: TeamsSettings): Record<string, string | boolean> {
  const { channelMetadataUrl, entraMetadataUrl } = incomingTokenEndpoints(s);
  return {
    ToBotFromChannelOpenIdMetadataUrl: channelMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: entraMetadataUrl,
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
}
