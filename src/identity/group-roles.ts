import type { GroupRoles } from './group-membership.js';
import { GraphGroupMembership } from './graph-group-membership.js';
import type { GroupRoleSettings } from './identity-settings.js';

/**
 * Roles given to Entra ID groups, resolved with Microsoft Graph; undefined when none is given.
 * `graphToken` makes the bearer token source for a Graph base URL (the bot's Azure identity's).
 */
export function groupRolesOf(
  settings: GroupRoleSettings,
  graphToken: (graphUrl: string) => () => Promise<string>,
): GroupRoles | undefined {
  if (settings.groupAssignments.length === 0) return undefined;
  return {
    assignments: settings.groupAssignments,
    membership: new GraphGroupMembership({
      baseUrl: settings.graph.url,
      token: graphToken(settings.graph.url),
      ttlMs: settings.graph.cacheTtlMs,
    }),
  };
}
