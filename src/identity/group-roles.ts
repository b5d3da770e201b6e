import type { GroupRoles } from '../chat/roles.js';
import type { ChatSettings } from '../config.js';
import { GraphGroupMembership } from './graph-group-membership.js';
import { graphTokenSource } from '../azure/graph-token.js';

/** Roles given to Entra ID groups, resolved with Microsoft Graph; undefined when none is given. */
export function groupRolesOf(chat: ChatSettings): GroupRoles | undefined {
  if (chat.groupAssignments.length === 0) return undefined;
  return {
    assignments: chat.groupAssignments,
    membership: new GraphGroupMembership({
      baseUrl: chat.graph.url,
      token: graphTokenSource(chat.graph.url),
      ttlMs: chat.graph.cacheTtlMs,
    }),
  };
}
