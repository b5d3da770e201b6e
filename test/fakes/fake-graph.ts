import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Microsoft Graph's `POST /v1.0/users/{id}/checkMemberGroups`: direct
 * memberships (a user or a group in groups), answered transitively as Graph does, at most 20
 * group ids a request (more is Graph's 400), 404 for an unknown user.
 */
export interface FakeGraph {
  url: string;
  /** Direct memberships: principal (user or group object id) → the groups it is directly in. */
  memberOf: Map<string, string[]>;
  /** Every request received: the user, the bearer token and the group ids asked about. */
  requests: { user: string; authorization: string | undefined; groupIds: string[] }[];
  /** Answer the next requests with this status (500, 429…) until set back to undefined. */
  failWith: number | undefined;
  close(): Promise<void>;
}

export async function startFakeGraph(): Promise<FakeGraph> {
  const fake: Omit<FakeGraph, 'url' | 'close'> = { memberOf: new Map(), requests: [], failWith: undefined };
  const transitive = (principal: string): Set<string> => {
    const seen = new Set<string>();
    const queue = [...(fake.memberOf.get(principal) ?? [])];
    while (queue.length > 0) {
      const g = queue.shift()!;
      if (seen.has(g)) continue;
      seen.add(g);
      queue.push(...(fake.memberOf.get(g) ?? []));
    }
    return seen;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/v1\.0\/users\/([^/]+)\/checkMemberGroups$/.exec(req.url ?? '');
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method !== 'POST' || !m) return send(404, { error: { code: 'Request_ResourceNotFound' } });
      const user = decodeURIComponent(m[1]!);
      const { groupIds } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { groupIds: string[] };
      fake.requests.push({ user, authorization: req.headers.authorization, groupIds });
      if (fake.failWith) return send(fake.failWith, { error: { code: 'ServiceUnavailable' } });
      if (!req.headers.authorization?.startsWith('Bearer '))
        return send(401, { error: { code: 'InvalidAuthenticationToken' } });
      if (groupIds.length > 20) return send(400, { error: { code: 'Request_BadRequest' } });
      if (!fake.memberOf.has(user)) return send(404, { error: { code: 'Request_ResourceNotFound' } });
      const member = transitive(user);
      send(200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)',
        value: groupIds.filter((g) => member.has(g)),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
