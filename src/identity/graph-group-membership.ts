import { AppError } from '../domain/errors.js';
import type { GroupMembership } from './group-membership.js';

/** Microsoft Graph answers checkMemberGroups for at most 20 groups a request. */
const GROUPS_PER_REQUEST = 20;
/** A bound on the cache: one entry per person who used the bot within the TTL. */
const MAX_CACHED_USERS = 10_000;

export interface GraphGroupMembershipOptions {
  /** Graph's base URL (`https://graph.microsoft.com`; tests: a local fake). */
  baseUrl: string;
  /** A bearer token for Graph (application permissions User.Read.All and GroupMember.Read.All). */
  token: () => Promise<string>;
  /** How long an answer is reused: a change of membership takes effect within it. */
  ttlMs: number;
  now?: () => number;
  timeoutMs?: number;
}

interface CacheEntry {
  at: number;
  groups: Promise<ReadonlySet<string>>;
}

/**
 * Transitive group membership from Microsoft Graph's `POST /v1.0/users/{id}/checkMemberGroups`
 * (nested groups count), cached per user for a TTL. Concurrent asks for one user share a request.
 */
export class GraphGroupMembership implements GroupMembership {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly now: () => number;

  constructor(private readonly o: GraphGroupMembershipOptions) {
    this.now = o.now ?? Date.now;
  }

  memberOf(userObjectId: string, groupIds: readonly string[]): Promise<ReadonlySet<string>> {
    const key = `${userObjectId}|${[...groupIds].sort().join(',')}`;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.o.ttlMs) return hit.groups;
    const groups = this.ask(userObjectId, groupIds);
    this.cache.delete(key);
    if (this.cache.size >= MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { at: this.now(), groups });
    // A failure is not remembered: the next command asks Graph again.
    groups.catch(() => this.cache.get(key)?.groups === groups && this.cache.delete(key));
    return groups;
  }

  private async ask(userObjectId: string, groupIds: readonly string[]): Promise<ReadonlySet<string>> {
    const member = new Set<string>();
    for (let i = 0; i < groupIds.length; i += GROUPS_PER_REQUEST) {
      const chunk = groupIds.slice(i, i + GROUPS_PER_REQUEST);
      for (const g of await this.check(userObjectId, chunk)) member.add(g.toLowerCase());
    }
    return member;
  }

  private async check(userObjectId: string, groupIds: readonly string[]): Promise<string[]> {
    const url = `${this.o.baseUrl}/v1.0/users/${encodeURIComponent(userObjectId)}/checkMemberGroups`;
    let status: number | string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.o.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ groupIds }),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
      // A user Graph does not know (a guest of another tenant) is in none of the groups.
      if (response.status === 404) return [];
      if (response.ok) {
        const body = (await response.json()) as { value?: unknown };
        if (Array.isArray(body.value)) return body.value.filter((v): v is string => typeof v === 'string');
        status = 'an answer without a value list';
      } else status = response.status;
    } catch (e) {
      status = e instanceof Error ? e.message : String(e);
    }
    throw new AppError(
      'auth.groups_unavailable',
      'Your roles come from Entra ID groups, and Microsoft Graph could not be asked which ones you are in.',
      {
        hint: 'Try again in a minute; if it persists, tell the bot’s administrator.',
        details: { graph: String(status) },
      },
    );
  }
}
