import type { Role } from '../domain/roles.js';

/** Transitive group membership (Microsoft Graph in production, a local fake in tests). */
export interface GroupMembership {
  /** Which of `groupIds` the user is a member of, directly or through nested groups. */
  memberOf(userObjectId: string, groupIds: readonly string[]): Promise<ReadonlySet<string>>;
}

/** Roles given to Entra ID groups, and how to learn who is in them. */
export interface GroupRoles {
  assignments: readonly { groupId: string; roles: readonly Role[] }[];
  membership: GroupMembership;
}
