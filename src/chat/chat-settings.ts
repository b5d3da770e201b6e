import type { EnvReader } from '../domain/env-reader.js';
import type { Role } from '../domain/roles.js';
import { ROLES } from '../domain/roles.js';
import type { GroupRoleSettings } from '../identity/identity-settings.js';
import { readGroupRoleSettings, readPersonLinks, readRoleLists } from '../identity/identity-settings.js';

export interface ChatSettings extends GroupRoleSettings {
  /** Role assignments by immutable user id (web:alice, Teams AAD object id, Slack T…:U…). */
  roleAssignments: { userId: string; roles: Role[] }[];
  /** Roles of users not listed. */
  defaultRoles: Role[];
  /**
   * Ids that are one person across platforms (IDENTITY_LINKS): nobody approves their own request
   * from another platform or alias.
   */
  personLinks: string[][];
}

/** ROLE_READERS, ROLE_OPERATORS, ROLE_APPROVERS, ROLE_DEFAULT, the groups' Graph, and IDENTITY_LINKS. */
export function readChatSettings(read: EnvReader): ChatSettings {
  const entries = readRoleLists(read);
  const roleAssignments = entries
    .filter((e) => !/^group:/i.test(e.id))
    .map((e) => ({ userId: e.id, roles: [e.role] as Role[] }));
  const { groupAssignments, graph } = readGroupRoleSettings(read, entries);
  const personLinks = readPersonLinks(read);
  const defaultRole = read.oneOf('ROLE_DEFAULT', [...ROLES, 'none'] as const, 'reader');
  return {
    roleAssignments,
    defaultRoles: defaultRole === 'none' ? [] : [defaultRole],
    groupAssignments,
    graph,
    personLinks,
  };
}
