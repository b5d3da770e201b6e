/**
 * Who may do what in chat (DESIGN.md section 4). The bot acts in Azure with one identity, so this
 * check is what stands between a chat user and Azure. Users are keyed by immutable platform ids;
 * roles may also be given to Entra ID groups, resolved for users whose id is an Entra object id.
 */
import type { Role } from '../domain/roles.js';
import type { GroupRoles } from '../identity/group-membership.js';

export { ROLES } from '../domain/roles.js';
export type { Role } from '../domain/roles.js';

/** What each role may run: operators and approvers also read. */
const GRANTS: Record<Role, readonly Role[]> = {
  reader: ['reader'],
  operator: ['reader', 'operator'],
  approver: ['reader', 'approver'],
};

/** An Entra ID (Azure AD) object id: a GUID. Teams users carry one; Slack and web users don't. */
const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

type RoleUser = string | { id: string; roleIds?: readonly string[] };

export class RoleDirectory {
  private readonly byUser = new Map<string, Set<Role>>();
  private readonly byGroup = new Map<string, Set<Role>>();

  constructor(
    assignments: Iterable<{ userId: string; roles: readonly Role[] }>,
    private readonly defaultRoles: readonly Role[] = ['reader'],
    private readonly groups?: GroupRoles,
  ) {
    for (const a of assignments) grant(this.byUser, a.userId, a.roles);
    for (const a of groups?.assignments ?? []) grant(this.byGroup, a.groupId.toLowerCase(), a.roles);
  }

  /**
   * The roles assigned to any of the person's ids (a Slack Grid user may be listed by
   * organisation or by workspace) or to a group their Entra object id belongs to; the default
   * roles when none is listed. Throws `auth.groups_unavailable` when group membership is needed
   * and cannot be read: a person is never silently given fewer (or more) roles than assigned.
   */
  async rolesOf(user: RoleUser): Promise<ReadonlySet<Role>> {
    const ids = typeof user === 'string' ? [user] : [user.id, ...(user.roleIds ?? [])];
    const assigned = new Set(ids.flatMap((id) => [...(this.byUser.get(id) ?? [])]));
    let listed = ids.some((id) => this.byUser.has(id));
    const objectIds = ids.filter((id) => ENTRA_OBJECT_ID.test(id));
    if (this.groups && this.byGroup.size > 0) {
      for (const objectId of objectIds) {
        const groups = await this.groups.membership.memberOf(objectId.toLowerCase(), [
          ...this.byGroup.keys(),
        ]);
        for (const g of groups) {
          const roles = this.byGroup.get(g.toLowerCase());
          if (!roles) continue;
          listed = true;
          for (const r of roles) assigned.add(r);
        }
      }
    }
    return listed ? assigned : new Set(this.defaultRoles.flatMap((r) => GRANTS[r]));
  }

  async may(user: RoleUser, required: Role): Promise<boolean> {
    return (await this.rolesOf(user)).has(required);
  }
}

function grant(map: Map<string, Set<Role>>, key: string, roles: readonly Role[]): void {
  const set = map.get(key) ?? new Set<Role>();
  for (const r of roles) for (const g of GRANTS[r]) set.add(g);
  map.set(key, set);
}
