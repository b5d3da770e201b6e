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

  rolesOf(userId: string): ReadonlySet<Role> {
    return this.byUser.get(userId) ?? new Set(this.defaultRoles.flatMap((r) => GRANTS[r]));
  }

  may(userId: string, required: Role): boolean {
    return this.rolesOf(userId).has(required);
  }
}
