/**
 * Who may do what in chat (DESIGN.md section 4). The bot acts in Azure with one identity, so this
 * check is what stands between a chat user and Azure. Users are keyed by immutable platform ids.
 */
export const ROLES = ['reader', 'operator', 'approver'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may run: operators and approvers also read. */
const GRANTS: Record<Role, readonly Role[]> = {
  reader: ['reader'],
  operator: ['reader', 'operator'],
  approver: ['reader', 'approver'],
};

export class RoleDirectory {
  private readonly byUser = new Map<string, Set<Role>>();

  constructor(
    assignments: Iterable<{ userId: string; roles: readonly Role[] }>,
    private readonly defaultRoles: readonly Role[] = ['reader'],
  ) {
    for (const a of assignments) {
      const set = this.byUser.get(a.userId) ?? new Set<Role>();
      for (const r of a.roles) for (const g of GRANTS[r]) set.add(g);
      this.byUser.set(a.userId, set);
    }
  }

  /**
   * The roles assigned to any of the person's ids (a Slack Grid user may be listed by
   * organisation or by workspace); the default roles when none is listed.
   */
  rolesOf(user: string | { id: string; roleIds?: readonly string[] }): ReadonlySet<Role> {
    const ids = typeof user === 'string' ? [user] : [user.id, ...(user.roleIds ?? [])];
    const assigned = ids.flatMap((id) => [...(this.byUser.get(id) ?? [])]);
    const listed = ids.some((id) => this.byUser.has(id));
    return listed ? new Set(assigned) : new Set(this.defaultRoles.flatMap((r) => GRANTS[r]));
  }

  may(user: string | { id: string; roleIds?: readonly string[] }, required: Role): boolean {
    return this.rolesOf(user).has(required);
  }
}
