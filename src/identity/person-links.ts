/**
 * Which chat ids are one person. The two-person rule of approvals compares people, not ids: the
 * same engineer is a Teams user (Entra object id), a Slack user (`E…:U…` in Enterprise Grid,
 * `T…:U…` by workspace, depending on whether the payload carried the organisation) and a web chat
 * user, and must not approve their own request under another of them.
 *
 * Two ids are the same person when configuration links them (IDENTITY_LINKS), when they are the
 * same Entra object id in any case, or when they are Slack ids of the same Slack user id (a user
 * id is the same person whichever workspace or organisation prefix the payload gave it; counting
 * two people as one only ever refuses a decision, never allows one).
 */
export interface PersonIds {
  id: string;
  /** Other ids the platform gave for the same person (a Grid user's `T…:U…`). */
  aliases?: readonly string[];
}

/** Slack's `<workspace or organisation>:<user>` id; the user part names the person. */
const SLACK_ID = /^[TE][A-Z0-9]+:([UW][A-Z0-9]+)$/;
const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

export class PersonLinks {
  /** Each linked id → its group's ids (itself included), normalised; groups sharing an id are merged. */
  private readonly groupOf = new Map<string, Set<string>>();

  constructor(links: readonly (readonly string[])[] = []) {
    for (const group of links) {
      const merged = new Set(group.map(normalise).filter(Boolean));
      for (const id of [...merged]) for (const other of this.groupOf.get(id) ?? []) merged.add(other);
      for (const id of merged) this.groupOf.set(id, merged);
    }
  }

  /** Whether the two are one person (see the class comment for the rules). */
  samePerson(a: PersonIds, b: PersonIds): boolean {
    const mine = this.keys(a);
    for (const key of this.keys(b)) if (mine.has(key)) return true;
    return false;
  }

  /** Every key the person is known by: their ids, the ids linked to them, their Slack user ids. */
  private keys(p: PersonIds): Set<string> {
    const keys = new Set<string>();
    for (const raw of [p.id, ...(p.aliases ?? [])]) {
      const id = normalise(raw);
      for (const linked of this.groupOf.get(id) ?? [id]) {
        keys.add(linked);
        const slackUser = SLACK_ID.exec(linked)?.[1];
        if (slackUser) keys.add(`slack-user:${slackUser}`);
      }
    }
    keys.delete('');
    return keys;
  }
}

/** Entra object ids compare case-insensitively; every other id is exact. */
function normalise(id: string): string {
  const t = id.trim();
  return ENTRA_OBJECT_ID.test(t) ? t.toLowerCase() : t;
}
