import type { EnvReader } from '../domain/env-reader.js';
import { GUID } from '../domain/env-reader.js';
import type { Role } from '../domain/roles.js';

/** Microsoft Graph (GRAPH_URL, a local fake in tests) and how long a user's groups are reused. */
export interface GraphSettings {
  url: string;
  cacheTtlMs: number;
}

export interface GroupRoleSettings {
  /** Role assignments to Entra ID groups (`group:<objectId>` in ROLE_*), resolved with Microsoft Graph. */
  groupAssignments: { groupId: string; roles: Role[] }[];
  graph: GraphSettings;
}

/** One entry of ROLE_READERS, ROLE_OPERATORS or ROLE_APPROVERS: a chat id or `group:<objectId>`. */
export interface RoleListEntry {
  id: string;
  role: Role;
  /** The variable it came from. */
  name: string;
}

/** Every entry of the ROLE_<role>S lists, users and groups alike. */
export function readRoleLists(read: EnvReader): RoleListEntry[] {
  return (['reader', 'operator', 'approver'] as const).flatMap((role) =>
    read.list(`ROLE_${role.toUpperCase()}S`).map((id) => ({ id, role, name: `ROLE_${role.toUpperCase()}S` })),
  );
}

/** The `group:<objectId>` entries of the role lists, and GRAPH_URL / ROLE_GROUP_CACHE_SECONDS. */
export function readGroupRoleSettings(read: EnvReader, entries: RoleListEntry[]): GroupRoleSettings {
  const groupAssignments = entries.flatMap((e) => {
    const m = /^group:(.*)$/i.exec(e.id);
    if (!m) return [];
    const groupId = m[1]!.trim().toLowerCase();
    if (!GUID.test(groupId)) {
      read.problem(`${e.name}: "${e.id}" must be group:<Entra ID group object id (a GUID)>.`);
      return [];
    }
    return [{ groupId, roles: [e.role] as Role[] }];
  });
  const graph = {
    url: read.url('GRAPH_URL', true) ?? 'https://graph.microsoft.com',
    cacheTtlMs: read.int('ROLE_GROUP_CACHE_SECONDS', 300, 0, 86_400) * 1000,
  };
  return { groupAssignments, graph };
}

/** A chat id as the role lists name people: web chat, Slack (organisation or workspace), Teams. */
const CHAT_ID =
  /^(web:[\w.-]+|[TE][A-Z0-9]+:[UW][A-Z0-9]+|teams:\S+|[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12})$/i;

/**
 * IDENTITY_LINKS: comma-separated people, each their ids joined by `=`
 * (`web:bob=T0FAKE:UBOB=E0GRID:UBOB=<Entra object id>`): ids that are one person across platforms,
 * so nobody approves their own request from another platform or alias.
 */
export function readPersonLinks(read: EnvReader): string[][] {
  return read.list('IDENTITY_LINKS').flatMap((entry) => {
    const ids = entry.split('=').map((id) => id.trim());
    const bad = ids.filter((id) => !CHAT_ID.test(id));
    if (ids.length < 2 || bad.length > 0) {
      read.problem(
        `IDENTITY_LINKS: "${entry}" must be two or more chat ids joined by "=" (web:<name>, Slack T…:U… or E…:U…, an Entra object id)${bad.length ? `; not a chat id: ${bad.map((b) => `"${b}"`).join(', ')}` : ''}.`,
      );
      return [];
    }
    return [ids];
  });
}
