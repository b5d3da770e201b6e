/** Where a request came from. Channels translate platform events into ChatRequests. */
export type Platform = 'web' | 'teams' | 'slack';

export interface ChatUser {
  /**
   * Immutable platform id, one per person: `web:alice`, Teams AAD object id, Slack `E123:U456` in
   * Enterprise Grid (the organisation's id) or `T123:U456` (the workspace's). Never a display name.
   */
  id: string;
  name: string;
  /** Other ids the role lists may name this person by (a Grid user's `T…:U…` in this workspace). */
  roleIds?: string[];
}

export interface ChatRequest {
  platform: Platform;
  user: ChatUser;
  conversationId: string;
  /** What the user typed (mentions included: the core strips them). */
  text?: string;
  /** A card button: a dotted verb and its data, to be validated. */
  action?: { verb: string; data: Record<string, unknown> };
  /** Teams: where to post to this conversation later (alert subscriptions, digests). */
  replyAddress?: { serviceUrl: string; tenantId?: string };
}

/** A job the channel should keep its card up to date for. */
export interface WatchRequest {
  jobId: string;
  vaultName: string;
  resourceGroup: string;
  /** The vault's subscription id; absent, the vault is found by name (one subscription, or older rows). */
  subscription?: string;
}
