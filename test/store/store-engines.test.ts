import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/domain/index.js';
import { ApprovalWorkflow } from '../../src/approvals/approval-workflow.js';
import { AuditLog } from '../../src/approvals/audit-log.js';
import { silentLogger } from '../../src/logger.js';
import type { OpenStore } from '../../src/store/open-database.js';
import { openStore, storeAnswers, storeReadiness } from '../../src/store/open-database.js';
import { storeGauges } from '../../src/store/store-gauges.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { DeliveryStore } from '../../src/store/delivery-store.js';
import { OpenCommandStore } from '../../src/store/open-command-store.js';
import { VaultLeases } from '../../src/store/vault-leases.js';
import { WatchStore } from '../../src/store/watch-store.js';
import { WebMessageStore } from '../../src/store/web-message-store.js';
import { createTestDatabase, testPostgresUrl } from '../support/postgres.js';

/**
 * The store's query code on both engines it runs on: SQLite (one bot) and PostgreSQL (several
 * replicas), against a real server. The same assertions for both, so the one code base behaves
 * the same on each.
 */
const pgServer = testPostgresUrl();
const engines: { name: string; location: () => Promise<string> }[] = [
  { name: 'SQLite', location: async () => join(mkdtempSync(join(tmpdir(), 'store-')), 'bot.db') },
  ...(pgServer
    ? [{ name: 'PostgreSQL', location: () => createTestDatabase(pgServer, 'store_engines') }]
    : []),
];

describe.each(engines)('store on $name', ({ name, location }) => {
  let where: string;
  let store: OpenStore;
  const opened: OpenStore[] = [];
  const open = async (): Promise<OpenStore> => {
    const s = await openStore(where);
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    where = await location();
    store = await open();
  });
  afterAll(async () => {
    for (const s of opened) await s.db.destroy();
  });

  it('runs its migrations once, even when several replicas open the database together', async () => {
    expect(store.dialect).toBe(name === 'SQLite' ? 'sqlite' : 'postgres');
    const more = await Promise.all([open(), open(), open()]);
    for (const s of more) expect(await s.db.selectFrom('watches').selectAll().execute()).toEqual([]);
    const tables = await store.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'watches',
        'web_messages',
        'approvals',
        'audit',
        'alerted_jobs',
        'alert_scopes',
        'vault_leases',
        'replicas',
        'deliveries',
        'open_commands',
      ]),
    );
  });

  it('answers the readiness check while open, and not once closed', async () => {
    const s = await openStore(where);
    expect(await storeAnswers(s.db)).toBe(true);
    await s.db.destroy();
    expect(await storeAnswers(s.db)).toBe(false);
    expect(await storeReadiness(s.db)).toEqual({ ready: false, reason: 'The database does not answer.' });
  });

  it('counts watched jobs and approval requests by state for the metrics', async () => {
    const fresh = await openStore(await location());
    opened.push(fresh);
    const gauges = storeGauges(fresh.db);
    expect(await gauges.approvalsByState()).toEqual({});
    expect(await gauges.watchedJobs()).toBe(0);
    const workflow = new ApprovalWorkflow({
      logger: silentLogger,
      db: fresh.db,
      audit: new AuditLog(fresh.db),
      run: async () => ({ outcome: 'done' }),
    });
    const ask = (target: string) =>
      workflow.request({
        action: 'resourcegroup.delete',
        args: { name: target },
        title: 'Delete resource group',
        target,
        plan: [],
        confirmName: target,
        consequences: ['Everything in it is deleted.'],
        requester: { id: 'alice', name: 'Alice' },
        platform: 'web',
      });
    const rejected = await ask('rg-a');
    await ask('rg-b');
    await ask('rg-c');
    await workflow.decide(rejected.id, { id: 'bob', name: 'Bob' }, 'web', 'reject');
    expect(await gauges.approvalsByState()).toEqual({ requested: 2, rejected: 1 });
  });

  it('keeps watches: added once, listed while active, finished by record', async () => {
    const watches = new WatchStore(store.db);
    const w = {
      jobId: 'job-1',
      vaultName: 'rsv',
      resourceGroup: 'rg',
      platform: 'slack',
      messageRef: { channel: 'C1', ts: '1.2' },
      extras: { retainUntil: '2027-01-01' },
    };
    const t = new Date('2026-12-01T10:00:00Z');
    await watches.add(w, t);
    await watches.add(w, t); // the same message twice is one watch
    await watches.add({ ...w, messageRef: { channel: 'C1', ts: '9.9' } }, new Date(t.getTime() + 1));
    const active = await watches.active();
    expect(active.map((a) => a.messageRef.ts)).toEqual(['1.2', '9.9']);
    expect(active[0]).toMatchObject({ fingerprint: '', extras: { retainUntil: '2027-01-01' } });
    await watches.record(active[0]!, 'Completed|InProgress|InProgress', false, t);
    await watches.record(active[1]!, 'Completed|Completed|Completed', true, t);
    const left = await watches.active();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ fingerprint: 'Completed|InProgress|InProgress' });
  });

  it('numbers web messages and audit entries in order', async () => {
    const messages = new WebMessageStore(store.db);
    for (let i = 0; i < 5; i++) {
      await messages.add({
        id: `m${i}`,
        conversationId: 'ops',
        author: 'bot',
        card: { n: i },
        createdAt: '2026-12-01T10:00:00Z',
        updatedAt: '2026-12-01T10:00:00Z',
      });
    }
    expect((await messages.history('ops', 3)).map((m) => m.id)).toEqual(['m2', 'm3', 'm4']);
    expect((await messages.updateCard('m1', { n: 'new' }, new Date()))?.card).toEqual({ n: 'new' });
    const audit = new AuditLog(store.db);
    for (const target of ['myVM', 'rg-x', 'MYVM'])
      await audit.record({
        userId: 'u',
        userName: 'U',
        platform: 'web',
        action: 'a',
        target,
        outcome: 'ok',
      });
    expect((await audit.list({ target: 'myvm' })).map((e) => e.target)).toEqual(['MYVM', 'myVM']);
    expect((await audit.exportJsonLines()).trim().split('\n')).toHaveLength(3);
  });

  it('runs an approved action once when 50 approvers press Approve at the same moment', async () => {
    let runs = 0;
    const audit = new AuditLog(store.db);
    // Each approver on its own connection, as replicas would be.
    const stores = await Promise.all(Array.from({ length: 5 }, () => open()));
    const workflows = stores.map(
      (s) =>
        new ApprovalWorkflow({
          logger: silentLogger,
          db: s.db,
          audit,
          run: async () => {
            runs++;
            await new Promise((r) => setTimeout(r, 20));
            return { outcome: 'done' };
          },
        }),
    );
    const request = await workflows[0]!.request({
      action: 'backup.delete-data',
      args: { vm: 'myVM' },
      title: 'Stop backup and delete data',
      target: 'myVM',
      plan: [],
      confirmName: 'myVM',
      consequences: ['All recovery points are deleted.'],
      requester: { id: 'alice', name: 'Alice' },
      platform: 'web',
    });
    const decisions = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        workflows[i % workflows.length]!.decide(
          request.id,
          { id: `approver-${i}`, name: `Approver ${i}` },
          'web',
          'approve',
          'myVM',
        ),
      ),
    );
    // The approved action runs in the background of the decision that took effect.
    await Promise.all(workflows.map((w) => w.idle()));
    expect(runs).toBe(1);
    for (const d of decisions) expect(['approved', 'executing', 'executed']).toContain(d.request.state);
    // Exactly one decision moved the request on; the others lost the race and changed nothing.
    expect(decisions.filter((d) => d.result === 'decided' && d.tookEffect)).toHaveLength(1);
    expect((await workflows[0]!.record(request.id)).state).toBe('executed');
    const steps = (await audit.list({ target: 'myVM', limit: 100 })).map((e) => e.action);
    expect(steps.filter((s) => s === 'approval.approved')).toHaveLength(1);
    expect(steps.filter((s) => s === 'approval.executed')).toHaveLength(1);
  });

  it('closes requests a crash left half-run without running them, and expires lapsed ones', async () => {
    let t = new Date('2026-12-01T10:00:00Z');
    const audit = new AuditLog(store.db, () => t);
    let runs = 0;
    const workflow = new ApprovalWorkflow({
      logger: silentLogger,
      db: store.db,
      audit,
      now: () => t,
      ttlMs: 60 * 60_000,
      run: async () => {
        runs++;
        return { outcome: 'done' };
      },
    });
    const ask = (target: string) =>
      workflow.request({
        action: 'resourcegroup.delete',
        args: { name: target },
        title: 'Delete resource group',
        target,
        plan: [],
        confirmName: target,
        consequences: [],
        requester: { id: 'alice', name: 'Alice' },
        platform: 'web',
      });
    const halfRun = await ask('rg-half');
    const open = await ask('rg-open');
    // As if the bot died after approving: the row is left `executing`.
    await store.db
      .updateTable('approvals')
      .set({ state: 'executing', decided_at: t.toISOString(), decided_by_id: 'bob', decided_by_name: 'Bob' })
      .where('id', '=', halfRun.id)
      .execute();
    expect(await workflow.sweep(20 * 60_000)).toEqual({ interrupted: 0, expired: 0 }); // may still be running
    t = new Date(t.getTime() + 61 * 60_000);
    expect(await workflow.sweep(20 * 60_000)).toEqual({ interrupted: 1, expired: 1 });
    expect(await workflow.sweep(20 * 60_000)).toEqual({ interrupted: 0, expired: 0 });
    const closed = await workflow.record(halfRun.id);
    expect(closed).toMatchObject({ state: 'failed' });
    expect(closed.outcome).toMatch(/not run again/);
    expect((await workflow.record(open.id)).state).toBe('expired');
    expect(runs).toBe(0);
    const steps = (await audit.list({ limit: 10 })).map((e) => `${e.action} ${e.target}`);
    expect(steps).toEqual(expect.arrayContaining(['approval.failed rg-half', 'approval.expired rg-open']));
  });

  it('alerts a failed job once when several alerters claim it together', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => open()));
    const job = {
      jobId: 'failed-1',
      vaultName: 'rsv',
      resourceGroup: 'rg',
      status: 'Failed',
      endedAt: '2026-12-01T10:00:00Z',
    };
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        new AlertStore(stores[i % 4]!.db).claim('slack:C1', job, new Date()),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const alerts = new AlertStore(store.db);
    expect(await alerts.known('slack:C1', ['failed-1', 'other'])).toEqual(new Set(['failed-1']));
    await alerts.release('slack:C1', 'failed-1'); // a failed post gives the claim back
    expect(await alerts.claim('slack:C1', job, new Date())).toBe(true);
    await alerts.markSent('slack:C1', 'failed-1');
    await alerts.release('slack:C1', 'failed-1'); // a sent alert is never given back
    expect(await alerts.claim('slack:C1', job, new Date())).toBe(false);
    const since = await alerts.watchingSince('scope-1', new Date('2026-12-01T00:00:00Z'));
    expect(await alerts.watchingSince('scope-1', new Date('2026-12-02T00:00:00Z'))).toEqual(since);
  });

  it('lets one delivery of an event through, whichever replica receives it', async () => {
    const stores = await Promise.all(Array.from({ length: 3 }, () => open()));
    const firsts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => new DeliveryStore(stores[i % 3]!.db).firstTime('slack:Ev1')),
    );
    expect(firsts.filter(Boolean)).toHaveLength(1);
    const deliveries = new DeliveryStore(store.db);
    expect(await deliveries.firstTime('slack:Ev1')).toBe(false);
    expect(await deliveries.firstTime('slack:Ev2')).toBe(true);
  });

  it('keeps a typed command until answered, and gives an abandoned one to one other process', async () => {
    let t = new Date('2026-12-01T10:00:00Z');
    const stores = await Promise.all(Array.from({ length: 3 }, () => open()));
    const [dying, ...others] = stores.map((s) => new OpenCommandStore(s.db, 30_000, { now: () => t }));
    const request: ChatRequest = {
      platform: 'slack',
      user: { id: 'T1:U1', name: 'alice' },
      conversationId: 'C1',
      text: 'backup vm1 now',
    };
    const target = { channel: 'C1' };
    const kept = await dying!.open({ platform: 'slack', target, request });
    await dying!.placed(kept.id, { channel: 'C1', ts: '1.1' });
    const waiting = await dying!.open({ platform: 'slack', target, request }); // no placeholder yet
    const done = await dying!.open({ platform: 'slack', target, request });
    await dying!.close(done.id);
    await dying!.open({ platform: 'teams', target: { reference: {} }, request });
    const claimAll = async (platforms: string[]) => {
      const all = [];
      for (const o of others) all.push(...(await o.claimAbandoned(platforms, 10)));
      return all;
    };
    // Renewed while its process lives: nobody may take it.
    t = new Date(t.getTime() + 20_000);
    await dying!.renew();
    t = new Date(t.getTime() + 20_000);
    expect(await claimAll(['slack'])).toEqual([]);
    // Its process died: past the ttl one other process takes each, once, with what it needs.
    t = new Date(t.getTime() + 31_000);
    const claims = await Promise.all(others.map((o) => o.claimAbandoned(['slack'], 10)));
    const claimed = claims.flat();
    expect(claimed.map((c) => c.id).sort()).toEqual([kept.id, waiting.id].sort());
    expect(claimed.find((c) => c.id === kept.id)).toMatchObject({
      messageRef: { channel: 'C1', ts: '1.1' },
      target,
      request,
      attempts: 0,
    });
    expect(claimed.find((c) => c.id === waiting.id)?.messageRef).toBeUndefined();
    expect(claimed[0]!.startedAt.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    // The dead process's late close changes nothing; the taker's does.
    const taker = others[claims.findIndex((c) => c.some((x) => x.id === kept.id))]!;
    const rowOf = (id: string) =>
      store.db.selectFrom('open_commands').select('id').where('id', '=', id).execute();
    await dying!.close(kept.id);
    expect(await rowOf(kept.id)).toHaveLength(1);
    await taker.close(kept.id);
    expect(await rowOf(kept.id)).toHaveLength(0);
    // One that could not be answered is given back, to be tried again later, by anyone.
    const waitingTaker = others[claims.findIndex((c) => c.some((x) => x.id === waiting.id))]!;
    await waitingTaker.release(waiting.id, 60_000);
    expect((await claimAll(['slack'])).map((c) => c.id)).toEqual([]);
    t = new Date(t.getTime() + 61_000);
    // The Teams one waited for a process with Teams; the given-back one comes again, counted.
    const later = await claimAll(['slack', 'teams']);
    expect(later.map((c) => c.platform).sort()).toEqual(['slack', 'teams']);
    expect(later.find((c) => c.id === waiting.id)?.attempts).toBe(1);
  });

  describe('vault leases', () => {
    const vaults = Array.from({ length: 10 }, (_, i) => `rg/rsv-${i}`);
    let t = new Date('2026-12-01T10:00:00Z');
    const leases = (replicaId: string) =>
      new VaultLeases({ db: store.db, replicaId, ttlMs: 30_000, now: () => t });

    it('shares the vaults out between replicas, never one vault to two', async () => {
      const a = leases('replica-a');
      const b = leases('replica-b');
      // A alone takes everything; once B is alive, A hands back its surplus and B takes it.
      expect((await a.claimShare(vaults)).size).toBe(10);
      await b.claimShare(vaults); // B's heartbeat; A still holds all ten
      const heldA = await a.claimShare(vaults);
      const heldB = await b.claimShare(vaults);
      expect(heldA.size).toBe(5);
      expect(heldB.size).toBe(5);
      expect([...heldA].filter((v) => heldB.has(v))).toEqual([]);
      // Claims at the same moment still never overlap.
      const [x, y] = await Promise.all([a.claimShare(vaults), b.claimShare(vaults)]);
      expect([...x].filter((v) => y.has(v))).toEqual([]);
    });

    it('passes a dead replica’s vaults on once its leases expire, and at once after a clean stop', async () => {
      const a = leases('replica-a');
      const b = leases('replica-b');
      const heldB = await b.claimShare(vaults);
      expect(heldB.size).toBeGreaterThan(0);
      // B dies (stops renewing). Before its leases expire A may not take them.
      t = new Date(t.getTime() + 10_000);
      const before = await a.claimShare(vaults);
      expect([...before].filter((v) => heldB.has(v))).toEqual([]);
      t = new Date(t.getTime() + 31_000);
      expect((await a.claimShare(vaults)).size).toBe(10);
      // B comes back mid-round: its renewals fail, so it leaves the vaults to A.
      expect(await b.renew([...heldB][0]!)).toBe(false);
      expect(await a.renew([...heldB][0]!)).toBe(true);
      // A clean stop hands everything back at once.
      await a.releaseAll();
      expect((await b.claimShare(vaults)).size).toBe(10);
      await b.releaseAll();
    });
  });
});
