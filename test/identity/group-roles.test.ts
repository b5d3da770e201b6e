import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CommandRegistry } from '../../src/chat/command-registry.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import { graphTokenSource } from '../../src/azure/graph-token.js';
import { loadConfig } from '../../src/config.js';
import { GraphGroupMembership } from '../../src/identity/graph-group-membership.js';
import { groupRolesOf } from '../../src/identity/group-roles.js';
import { isAppError } from '../../src/domain/errors.js';
import type { FakeGraph } from '../fakes/fake-graph.js';
import { startFakeGraph } from '../fakes/fake-graph.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';

const OPS = 'aaaaaaaa-0000-0000-0000-000000000001';
const ONCALL = 'aaaaaaaa-0000-0000-0000-000000000002';
const APPROVERS = 'aaaaaaaa-0000-0000-0000-000000000003';
const DANA = '11111111-2222-3333-4444-555555555555';
const ERIN = '66666666-7777-8888-9999-000000000000';

let graph: FakeGraph;
let clock = 0;

beforeAll(async () => {
  graph = await startFakeGraph();
});
afterAll(() => graph.close());
beforeEach(() => {
  graph.memberOf.clear();
  graph.requests.length = 0;
  graph.failWith = undefined;
  clock = 0;
  // Dana is in on-call, which is nested in ops; Erin is in no group the bot knows.
  graph.memberOf.set(DANA, [ONCALL]);
  graph.memberOf.set(ONCALL, [OPS]);
  graph.memberOf.set(ERIN, ['bbbbbbbb-0000-0000-0000-000000000000']);
});

function directory(ttlMs = 60_000): RoleDirectory {
  return new RoleDirectory([{ userId: 'T1:U1', roles: ['operator'] }], ['reader'], {
    assignments: [
      { groupId: OPS, roles: ['operator'] },
      { groupId: APPROVERS, roles: ['approver'] },
    ],
    membership: new GraphGroupMembership({
      baseUrl: graph.url,
      token: () => Promise.resolve('graph-token'),
      ttlMs,
      now: () => clock,
    }),
  });
}

describe('roles from Entra ID groups (Microsoft Graph checkMemberGroups)', () => {
  it('gives a Teams user the roles of a group they are in through a nested group', async () => {
    const roles = await directory().rolesOf({ id: DANA });
    expect([...roles].sort()).toEqual(['operator', 'reader']);
    expect(graph.requests).toEqual([
      { user: DANA, authorization: 'Bearer graph-token', groupIds: [OPS, APPROVERS] },
    ]);
  });

  it('gives default roles to an Entra user in none of the groups, and to one Graph does not know', async () => {
    const d = directory();
    expect([...(await d.rolesOf({ id: ERIN }))]).toEqual(['reader']);
    expect([...(await d.rolesOf({ id: '99999999-9999-9999-9999-999999999999' }))]).toEqual(['reader']);
  });

  it('reuses an answer within the TTL and asks again after it', async () => {
    const d = directory(60_000);
    await d.rolesOf({ id: DANA });
    clock = 59_000;
    await d.rolesOf({ id: DANA });
    expect(graph.requests).toHaveLength(1);
    // Dana joins the approvers: it takes effect once the cached answer is older than the TTL.
    graph.memberOf.set(DANA, [ONCALL, APPROVERS]);
    clock = 61_000;
    expect([...(await d.rolesOf({ id: DANA }))].sort()).toEqual(['approver', 'operator', 'reader']);
    expect(graph.requests).toHaveLength(2);
  });

  it('asks about at most 20 groups a request', async () => {
    const many = Array.from(
      { length: 45 },
      (_, i) => `cccccccc-0000-0000-0000-${String(i).padStart(12, '0')}`,
    );
    graph.memberOf.set(DANA, [many[44]!]);
    const membership = new GraphGroupMembership({
      baseUrl: graph.url,
      token: () => Promise.resolve('t'),
      ttlMs: 1000,
    });
    expect([...(await membership.memberOf(DANA, many))]).toEqual([many[44]]);
    expect(graph.requests.map((r) => r.groupIds.length)).toEqual([20, 20, 5]);
  });

  it('never asks Graph about Slack or web users, whose ids are not Entra object ids', async () => {
    const d = directory();
    expect([...(await d.rolesOf({ id: 'T1:U1' }))].sort()).toEqual(['operator', 'reader']);
    expect([...(await d.rolesOf({ id: 'T1:U2' }))]).toEqual(['reader']);
    expect(graph.requests).toHaveLength(0);
  });

  it('refuses with a clear error when Graph fails, and does not remember the failure', async () => {
    const d = directory();
    graph.failWith = 503;
    const error = await d.rolesOf({ id: DANA }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('auth.groups_unavailable');
    graph.failWith = undefined;
    expect([...(await d.rolesOf({ id: DANA }))].sort()).toEqual(['operator', 'reader']);
  });
});

describe('the registry with group roles', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lets a group member run an operator command and refuses one who is not', async () => {
    const registry = new CommandRegistry({
      service: h.service,
      roles: directory(),
      defaults: {
        subscriptionId: 'sub',
        vaultName: 'rsv-westus',
        vaultResourceGroup: 'rg-chatops',
        portalLinks: false,
      },
      now: () => h.sandbox.clock.now(),
    });
    const say = (id: string, text: string) =>
      registry.handle({ platform: 'teams', user: { id, name: id }, conversationId: 'c1', text });
    const refused = await say(ERIN, 'create vault rsv-graph-test in westus');
    expect(refused.view).toMatchObject({ kind: 'error', code: 'auth.forbidden' });
    graph.failWith = 500;
    const unavailable = await say(DANA, 'create vault rsv-graph-test in westus');
    expect(unavailable.view).toMatchObject({ kind: 'error', code: 'auth.groups_unavailable' });
    graph.failWith = undefined;
    const created = await say(DANA, 'create vault rsv-graph-test in westus');
    expect(created.view.kind).not.toBe('error');
  });
});

describe('configuration of group roles', () => {
  it('reads group:<objectId> entries beside user ids, and refuses a malformed one', () => {
    const c = loadConfig({
      ROLE_OPERATORS: `web:alice, group:${OPS.toUpperCase()}`,
      ROLE_APPROVERS: `group:${APPROVERS}`,
      GRAPH_URL: graph.url,
      ROLE_GROUP_CACHE_SECONDS: '60',
    });
    expect(c.chat.roleAssignments).toEqual([{ userId: 'web:alice', roles: ['operator'] }]);
    expect(c.chat.groupAssignments).toEqual([
      { groupId: OPS, roles: ['operator'] },
      { groupId: APPROVERS, roles: ['approver'] },
    ]);
    expect(c.chat.graph).toEqual({ url: graph.url, cacheTtlMs: 60_000 });
    expect(groupRolesOf(c.chat, graphTokenSource)?.assignments).toEqual(c.chat.groupAssignments);
    expect(groupRolesOf(loadConfig({}).chat, graphTokenSource)).toBeUndefined();
    expect(() => loadConfig({ ROLE_OPERATORS: 'group:ops-team' })).toThrow(
      /ROLE_OPERATORS: "group:ops-team"/,
    );
    expect(() => loadConfig({ GRAPH_URL: 'http://graph.example.com' })).toThrow(/GRAPH_URL must be an https/);
  });
});
