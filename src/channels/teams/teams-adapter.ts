import type { VerifiedBotFrameworkToken } from '../../identity/bot-framework-token.js';
import type { ConversationReference, TeamsActivity } from './teams-activity.js';

/**
 * What the Teams channel needs from a Bot Framework SDK. Two implementations: botbuilder's
 * CloudAdapter (`botbuilder-adapter.ts`) and the Microsoft 365 Agents SDK's (`agents-adapter.ts`).
 * Everything else (translation, cards, the port, rate limits, the loopback rule, HTTP answers) is
 * shared in `teams-channel.ts`.
 */
export interface TeamsAdapter {
  /**
   * Turns a request whose token the channel has verified (`token`; undefined in local-only mode,
   * where nothing is) into what the SDK runs a turn with; rejects (with the reason, for the log)
   * when the SDK's own checks refuse it.
   */
  authenticate(
    activity: TeamsActivity,
    authorization: string | undefined,
    token: VerifiedBotFrameworkToken | undefined,
  ): Promise<Authenticated>;
  /** Runs a turn for an authenticated activity; an invoke's answer comes back as the response. */
  run(authenticated: Authenticated, activity: TeamsActivity, handler: TurnHandler): Promise<TurnResponse>;
  /** Sends an activity outside a turn, through the reference's Bot Connector; returns its new id. */
  send(reference: ConversationReference, activity: TeamsActivity): Promise<string | undefined>;
  /** Replaces an existing message (the activity carries its id). */
  update(reference: ConversationReference, activity: TeamsActivity): Promise<void>;
}

/** An authenticated request, opaque to the channel (each SDK keeps its own claims shape). */
export interface Authenticated {
  readonly sdk: 'agents' | 'botbuilder';
}

/** One incoming activity, as the channel's turn logic sees it. */
export interface Turn {
  activity: TeamsActivity;
  /** Sends an activity in reply, during the turn. */
  reply(activity: TeamsActivity): Promise<void>;
}

/** The body of an invoke response (Adaptive Card Action.Execute), or nothing for other activities. */
export type InvokeAnswer = { statusCode: number; type: string; value: unknown };

export type TurnHandler = (turn: Turn) => Promise<InvokeAnswer | undefined>;

/** What to answer the HTTP request with once the turn is done. */
export interface TurnResponse {
  status: number;
  body?: unknown;
}

/** The invoke response activity both SDKs turn into the HTTP answer of an invoke. */
export function invokeResponse(answer: InvokeAnswer): TeamsActivity {
  return { type: 'invokeResponse', value: { status: 200, body: answer } };
}

/**
 * Runs `logic` in an SDK call that would hand its errors to the adapter's onTurnError (the Agents
 * SDK's continueConversation does) and throws them here instead: a failed send must reach its
 * caller, whose retry (throttling) and coalescing updater depend on it.
 */
export async function rethrowing<C>(
  start: (logic: (context: C) => Promise<void>) => Promise<void>,
  logic: (context: C) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  await start(async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}
