import type { ChatRequest } from './chat-request.js';

/**
 * Where a message nobody asked for (an alert, a digest) can be posted in the conversation a
 * command came from: what the channel's poster needs, kept in the store so it survives restarts.
 * Teams needs the conversation reference's service URL and tenant; Slack the channel id; the web
 * chat has one room for announcements.
 */
export type ChannelAddress =
  | { platform: 'slack'; channelId: string }
  | { platform: 'teams'; conversationId: string; serviceUrl: string; tenantId?: string }
  | { platform: 'web' };

/** The address of the request's conversation; undefined when it cannot be posted to later. */
export function addressOf(request: ChatRequest): ChannelAddress | undefined {
  if (request.platform === 'slack') return { platform: 'slack', channelId: request.conversationId };
  if (request.platform === 'web') return { platform: 'web' };
  const reply = request.replyAddress;
  if (!reply?.serviceUrl) return undefined;
  return {
    platform: 'teams',
    conversationId: request.conversationId,
    serviceUrl: reply.serviceUrl,
    ...(reply.tenantId ? { tenantId: reply.tenantId } : {}),
  };
}

/** The alert target id of an address: the same as ALERT_CHANNEL's (`slack:C1`, `teams:<id>`, `web`). */
export function targetIdOf(address: ChannelAddress): string {
  if (address.platform === 'slack') return `slack:${address.channelId}`;
  if (address.platform === 'teams') return `teams:${address.conversationId}`;
  return 'web';
}

export function parseAddress(json: string): ChannelAddress | undefined {
  try {
    const a = JSON.parse(json) as ChannelAddress;
    if (a.platform === 'slack' && typeof a.channelId === 'string') return a;
    if (a.platform === 'teams' && typeof a.conversationId === 'string' && typeof a.serviceUrl === 'string')
      return a;
    if (a.platform === 'web') return a;
  } catch {
    // A row that does not parse is skipped by the caller.
  }
  return undefined;
}
