import type { View } from '../cards/views.js';
import type { Platform, ConversationTarget, MessageRef } from '../domain/index.js';
import type { RetryableError } from './coalescing-updater.js';

/**
 * What a channel gives the conversation core: the platform calls, and nothing of the lifecycle.
 * The core decides what to post, where and when; the port only makes the call (under its
 * platform's rate limits) and names where the message lives.
 */
export interface ChannelPort {
  readonly platform: Platform;
  /** Posts a view as a new message in a conversation; where it lives (undefined: no id came back). */
  post(target: ConversationTarget, view: View): Promise<MessageRef | undefined>;
  /**
   * Replaces the view on a message, once: the core coalesces, orders and retries the updates.
   * `view` is read when the call goes out, after any wait for the platform's rate limit: the
   * message's newest view by then.
   */
  update(ref: MessageRef, view: () => View): Promise<void>;
  /** Whether a failed update is worth trying again, and after how long. */
  classifyError(error: unknown): RetryableError | undefined;
  /**
   * Optional: answers a command once, outside the platform's message budgets, where the answer
   * gets no id (Slack: the slash command's `response_url`). False: this target has no such way
   * (none given, or used up and expired), so the core posts instead; throws when it may or may not
   * have gone (the command stays on record and is answered again later).
   */
  respond?(target: ConversationTarget, view: View): Promise<boolean>;
  /**
   * Optional: a passing note about a command whose working view has no message to repaint, seen
   * by its sender only (Slack: an ephemeral post to the slash command's `response_url`) — "Queued"
   * while Azure's request budget holds it. Best effort: false when it could not be shown.
   */
  notify?(target: ConversationTarget, view: View): Promise<boolean>;
  /**
   * Optional: about how long an update sent now would wait for the platform's budget (Slack's
   * chat.update window). A long wait makes the core post an answer instead of updating in place.
   */
  updateWaitMs?(): number;
}
