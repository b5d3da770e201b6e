import type { ChatUser } from '../../domain/index.js';

/**
 * The parts of a Bot Framework activity this channel reads and writes, in the wire format both
 * SDKs share. Keeping the translation here, on plain data, means botbuilder and the Agents SDK
 * differ only in how they authenticate, run a turn and reach the Bot Connector.
 */
export interface ChannelAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
  role?: string;
}

export interface ConversationAccount {
  id: string;
  name?: string;
  isGroup?: boolean;
  conversationType?: string;
  tenantId?: string;
}

export interface Attachment {
  contentType: string;
  content: unknown;
}

export interface TeamsActivity {
  type: string;
  id?: string;
  name?: string;
  text?: string;
  value?: unknown;
  channelId?: string;
  serviceUrl?: string;
  locale?: string;
  from?: ChannelAccount;
  recipient?: ChannelAccount;
  conversation?: ConversationAccount;
  replyToId?: string;
  entities?: { type: string; [key: string]: unknown }[];
  membersAdded?: ChannelAccount[];
  attachments?: Attachment[];
}

/** Where to send: the Bot Framework's conversation reference (stored with open commands as is). */
export interface ConversationReference {
  activityId?: string;
  user?: ChannelAccount;
  bot?: ChannelAccount;
  conversation: ConversationAccount;
  channelId: string;
  locale?: string;
  serviceUrl: string;
}

/** The reference to the conversation an incoming activity came from (botbuilder's shape). */
export function referenceOf(activity: TeamsActivity): ConversationReference {
  return {
    activityId: activity.id,
    user: activity.from,
    bot: activity.recipient,
    conversation: activity.conversation ?? { id: '' },
    channelId: activity.channelId ?? 'msteams',
    locale: activity.locale,
    serviceUrl: activity.serviceUrl ?? '',
  };
}

/**
 * A message from the bot into the reference's conversation: a reply to the activity the reference
 * names (its activityId becomes the replyToId), else a new message.
 */
export function outgoingMessage(reference: ConversationReference, attachment: Attachment): TeamsActivity {
  return {
    type: 'message',
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: reference.conversation,
    ...(reference.bot ? { from: reference.bot } : {}),
    ...(reference.user ? { recipient: reference.user } : {}),
    ...(reference.locale ? { locale: reference.locale } : {}),
    ...(reference.activityId ? { replyToId: reference.activityId } : {}),
    attachments: [attachment],
  };
}

/** The message `activityId` in the reference's conversation, with a new card. */
export function cardUpdate(
  reference: ConversationReference,
  activityId: string,
  attachment: Attachment,
): TeamsActivity {
  return {
    type: 'message',
    id: activityId,
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: reference.conversation,
    attachments: [attachment],
  };
}

export function adaptiveCardAttachment(card: Record<string, unknown>): Attachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}

/** The typed text without the bot's own @mention (Teams puts `<at>bot</at>` in channel messages). */
export function textWithoutMention(activity: TeamsActivity): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  for (const entity of activity.entities ?? []) {
    const mentioned = entity.mentioned as { id?: string } | undefined;
    if (entity.type === 'mention' && botId && mentioned?.id === botId && typeof entity.text === 'string')
      text = text.split(entity.text).join('');
  }
  return text.trim();
}

/** Roles are keyed by the AAD object id, never by display name. */
export function userOf(activity: TeamsActivity): ChatUser {
  const from = activity.from;
  return { id: from?.aadObjectId ?? `teams:${from?.id ?? ''}`, name: from?.name ?? 'Teams user' };
}
