import { graphTokenSource } from '../azure/graph-token.js';
import { groupRolesOf } from '../identity/group-roles.js';
import type { ChatSettings } from './chat-settings.js';
import type { ChatDefaults } from './command.js';
import type { Role } from './roles.js';
import { RoleDirectory } from './roles.js';

/** What commands fall back to: the default vault, and portal links only against real Azure. */
export function chatDefaultsOf(azure: {
  mode: string;
  subscriptionId: string;
  vaultName: string;
  vaultResourceGroup: string;
}): ChatDefaults {
  const { subscriptionId, vaultName, vaultResourceGroup } = azure;
  return { subscriptionId, vaultName, vaultResourceGroup, portalLinks: azure.mode === 'azure' };
}

/** Who may do what: the configured roles, the web chat's users' own, and Entra group roles. */
export function roleDirectoryOf(
  chat: ChatSettings,
  webUsers: readonly { id: string; roles: readonly Role[] }[],
): RoleDirectory {
  return new RoleDirectory(
    [...chat.roleAssignments, ...webUsers.map((u) => ({ userId: u.id, roles: u.roles }))],
    chat.defaultRoles,
    groupRolesOf(chat, graphTokenSource),
  );
}
