/** The roles of chat users (DESIGN.md section 4): what each may do is chat's, who has them identity's. */
export const ROLES = ['reader', 'operator', 'approver'] as const;
export type Role = (typeof ROLES)[number];
