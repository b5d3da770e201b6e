import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settled } from '../../src/approvals/approval-workflow.js';
import { ApprovalWorkflow } from '../../src/approvals/approval-workflow.js';
import { AuditLog } from '../../src/approvals/audit-log.js';
import type { ApprovalView, View } from '../../src/cards/views.js';
import { CommandRegistry } from '../../src/chat/command-registry.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';
import { until } from '../support/until.js';

/**
 * The approval workflow through the real command registry, backup service and sandbox, with its
 * state in a SQLite file (so a "restart" is a new workflow on the same file).
 */
const alice = { id: 'web:alice', name: 'Alice' }; // operator
const bob = { id: 'web:bob', name: 'Bob' }; // operator + approver
const dave = { id: 'web:dave', name: 'Dave' }; // approver

let h: Harness;
let dbPath: string;
let clockOffset = 0;

/** `stallAfterAccepted`: the bot "dies" once Azure accepted the approved action (its run never ends). */
async function bot(o: { stallAfterAccepted?: boolean } = {}) {
  const db = await openDatabase(dbPath);
  const now = () => new Date(h.sandbox.clock.now().getTime() + clockOffset);
  const audit = new AuditLog(db, now);
  const settled: Settled[] = [];
  const approvals: ApprovalWorkflow = new ApprovalWorkflow({
    onSettled: async (s) => void settled.push(s),
    db,
    audit,
    now,
    ttlMs: 60 * 60_000,
    run: (action, args, plan, operations) =>
      registry.runApproved(
        action,
        args,
        plan,
        o.stallAfterAccepted
          ? {
              onAccepted: async (op) => {
                await operations.onAccepted(op);
                await new Promise(() => undefined);
              },
            }
          : operations,
      ),
    follow: (op) => h.service.followAccepted(op),
  });
  const registry: CommandRegistry = new CommandRegistry({
    service: h.service,
    roles: new RoleDirectory(
      [
        { userId: alice.id, roles: ['operator'] },
        { userId: bob.id, roles: ['operator', 'approver'] },
        { userId: dave.id, roles: ['approver'] },
      ],
      [],
    ),
    defaults: {
      subscriptionId: 's',
      vaultName: 'rsv-westus',
      vaultResourceGroup: 'rg-chatops',
      portalLinks: false,
    },
    now,
    approvals,
    audit,
  });
  const say = async (user: typeof alice, text: string): Promise<View> =>
    (await registry.handle({ platform: 'web', user, conversationId: 'c', text })).view;
  const click = async (user: typeof alice, verb: string, data: Record<string, unknown>): Promise<View> =>
    (await registry.handle({ platform: 'web', user, conversationId: 'c', action: { verb, data } })).view;
  /** The request once its approved action, running in the background, has ended. */
  const ended = async (id: string): Promise<ApprovalView> => {
    await approvals.idle();
    return approval(await approvals.view(id));
  };
  return { say, click, audit, db, approvals, settled, ended };
}

/** Waits until the approved action's Azure operation is on record (Azure has accepted it). */
function operationOnRecord(b: { db: Awaited<ReturnType<typeof bot>>['db'] }, id: string): Promise<string> {
  return until('the Azure operation on record', async () => {
    const row = await b.db
      .selectFrom('approvals')
      .select('azure_operation')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.azure_operation ?? undefined;
  });
}

function approval(v: View): ApprovalView {
  if (v.kind !== 'approval') throw new Error(`expected an approval card, got ${JSON.stringify(v)}`);
  return v;
}

const deleteJobs = () => h.sandbox.world.jobs.filter((j) => j.operation === 'DeleteBackupData').length;

beforeEach(async () => {
  h = await startHarness();
  dbPath = join(mkdtempSync(join(tmpdir(), 'approvals-')), 'bot.db');
  clockOffset = 0;
});
afterEach(() => h.close());

describe('approval workflow', () => {
  it('turns a destructive command into a request that says what is lost, and runs nothing', async () => {
    const b = await bot();
    const req = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    expect(req).toMatchObject({
      state: 'requested',
      target: 'myVM',
      confirmName: 'myVM',
      requestedBy: 'Alice',
    });
    expect(req.consequences.join(' ')).toMatch(/2 recovery points/);
    // The vault has soft delete on (AlwaysON, 14 days), so the card says until when the data can be undeleted.
    expect(req.consequences.join(' ')).toMatch(
      /Soft delete keeps the deleted data until \d{4}-\d{2}-\d{2} \(14 days\)/,
    );
    expect((await h.service.getVm('myVM')).protection.state).toBe('Protected');
  });

  it('refuses self-approval, a non-approver and a wrong typed name; then an approver with the name runs it once', async () => {
    const b = await bot();
    const { id } = approval(await b.say(bob, 'stop backup for myVM and delete data'));
    expect(await b.say(bob, `approve ${id} myVM`)).toMatchObject({ kind: 'error', code: 'approval.self' });
    expect(await b.say(alice, `approve ${id} myVM`)).toMatchObject({ kind: 'error', code: 'auth.forbidden' });
    expect(await b.say(dave, `approve ${id} myvm`)).toMatchObject({
      kind: 'error',
      code: 'approval.name_mismatch',
    });
    expect(await b.say(dave, `approve ${id}`)).toMatchObject({
      kind: 'error',
      code: 'approval.name_mismatch',
    });
    expect(deleteJobs()).toBe(0);
    // The click returns at once: the action runs in the background, and its end is told.
    const clicked = approval(
      await b.click(dave, 'approval.approve', { approvalId: id, confirmName: 'myVM' }),
    );
    expect(clicked).toMatchObject({ state: 'executing', decidedBy: 'Dave' });
    const done = await b.ended(id);
    expect(done).toMatchObject({ state: 'executed', decidedBy: 'Dave' });
    expect(done.outcome).toMatch(/stopped and its data deleted/);
    expect(b.settled).toEqual([{ id, state: 'executed', outcome: done.outcome }]);
    // Soft delete: the item stays, stopped, its data kept until the purge date.
    expect((await h.service.getVm('myVM')).protection).toMatchObject({
      state: 'ProtectionStopped',
      softDeleted: { purgeAt: expect.any(String) },
    });
    // A replayed click changes nothing and runs nothing.
    expect(
      approval(await b.click(dave, 'approval.approve', { approvalId: id, confirmName: 'myVM' })).state,
    ).toBe('executed');
    expect(deleteJobs()).toBe(1);
  });

  it('runs the action exactly once under 100 concurrent approvals', async () => {
    const b = await bot();
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        b.click(i % 2 ? dave : bob, 'approval.approve', { approvalId: id, confirmName: 'myVM' }),
      ),
    );
    expect(results.every((r) => r.kind === 'approval')).toBe(true);
    await b.approvals.idle();
    expect(deleteJobs()).toBe(1);
    const executed = (await b.audit.list({ limit: 200 })).filter((e) => e.action === 'approval.executed');
    expect(executed).toHaveLength(1);
    // The approvals that lost the race changed nothing, and the audit log says so.
    const clicks = (await b.audit.list({ limit: 300 })).filter((e) => e.action === 'approval.approve');
    expect(clicks.map((e) => e.outcome).sort()).toEqual([...Array<string>(99).fill('no effect'), 'ok']);
  });

  it('audits a decision that came after the request was decided as "no effect", not "ok"', async () => {
    const b = await bot();
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    await b.click(dave, 'approval.reject', { approvalId: id });
    await b.click(bob, 'approval.approve', { approvalId: id, confirmName: 'myVM' });
    await b.click(dave, 'approval.reject', { approvalId: id });
    await b.click(alice, 'approval.cancel', { approvalId: id });
    const steps = (await b.audit.list({ target: id })).reverse().map((e) => `${e.action} ${e.outcome}`);
    expect(steps).toEqual([
      'approval.reject ok',
      'approval.approve no effect',
      'approval.reject no effect',
      'approval.cancel no effect',
    ]);
    expect(deleteJobs()).toBe(0);
  });

  it('refuses an expired request and marks it expired', async () => {
    const b = await bot();
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    clockOffset = 61 * 60_000;
    expect(await b.say(dave, `approve ${id} myVM`)).toMatchObject({
      kind: 'error',
      code: 'approval.expired',
    });
    expect(
      approval(await b.click(dave, 'approval.approve', { approvalId: id, confirmName: 'myVM' })).state,
    ).toBe('expired');
    expect(deleteJobs()).toBe(0);
  });

  it('never runs a rejected request', async () => {
    const b = await bot();
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    expect(approval(await b.click(dave, 'approval.reject', { approvalId: id }))).toMatchObject({
      state: 'rejected',
      decidedBy: 'Dave',
    });
    expect(approval(await b.say(bob, `approve ${id} myVM`)).state).toBe('rejected');
    expect(deleteJobs()).toBe(0);
  });

  it('refuses to ask for a resource group deletion its vault would block, and says what to do first', async () => {
    const b = await bot();
    const refused = await b.say(alice, 'delete resource group rg-chatops');
    expect(refused).toMatchObject({ kind: 'error', code: 'validation.resource_group_blocked' });
    expect(JSON.stringify(refused)).toContain('stop backup for myVM and delete data');
    // Once myVM's data is (soft-)deleted the request can be made, and says what happens to the vault.
    await h.service.stopProtection({ vm: 'myVM', deleteData: true });
    const req = approval(await b.say(alice, 'delete resource group rg-chatops'));
    expect(req.consequences.join(' ')).toMatch(/rsv-westus goes with its soft-deleted backup data \(myVM\)/);
  });

  it('runs what was approved or nothing: a group that changed since the request is re-proposed, not deleted', async () => {
    const b = await bot();
    const asked = approval(await b.say(alice, 'delete resource group rg-eastus'));
    // A vault joins the group after the request was made.
    h.sandbox.world.addVault('rg-eastus', 'rsv-late', 'eastus');
    expect(approval(await b.say(dave, `approve ${asked.id} rg-eastus`)).state).toBe('executing');
    await b.approvals.idle();
    // The card is told of a new request with the new plan; the approved one never ran.
    const reproposed = b.settled.find((s) => s.id === asked.id)?.reproposed;
    expect(reproposed).toBeDefined();
    const answer = approval(await b.approvals.view(reproposed!));
    expect(answer.id).not.toBe(asked.id);
    expect(answer).toMatchObject({ state: 'requested', requestedBy: 'Alice', target: 'rg-eastus' });
    expect(answer.consequences[0]).toMatch(
      /Not run: rg-eastus changed .*Microsoft\.RecoveryServices\/vaults\/rsv-late/,
    );
    expect(answer.consequences.join(' ')).toContain('rsv-late');
    // A decided request answers with its state.
    const old = approval(await b.say(dave, `approve ${asked.id} rg-eastus`));
    expect(old).toMatchObject({ state: 'failed' });
    expect(old.outcome).toContain('approval.plan_changed');
    expect(h.sandbox.world.vmByName('db-eastus-01')).toBeDefined();
    // The new plan, approved, runs.
    await b.say(dave, `approve ${answer.id} rg-eastus`);
    expect((await b.ended(answer.id)).state).toBe('executed');
    expect(h.sandbox.world.vmByName('db-eastus-01')).toBeUndefined();
  });

  it('runs a data deletion when only the recovery points grew since the request', async () => {
    const b = await bot();
    const asked = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    await h.service.backupNow({ vm: 'myVM' });
    h.advanceMinutes(45); // its point lands in the vault, within the request's hour
    await b.say(dave, `approve ${asked.id} myVM`);
    expect((await b.ended(asked.id)).state).toBe('executed');
  });

  it('follows an approved deletion whose bot died after Azure accepted it to its real outcome', async () => {
    const dying = await bot({ stallAfterAccepted: true });
    const { id } = approval(await dying.say(alice, 'stop backup for myVM and delete data'));
    // The approver's click never returns: the bot dies while following Azure's operation.
    void dying.say(dave, `approve ${id} myVM`);
    await operationOnRecord(dying, id);
    const next = await bot();
    clockOffset = 60 * 60_000; // long after any run could have ended
    expect(await next.approvals.sweep(60_000)).toMatchObject({ interrupted: 1 });
    const after = approval(await next.say(dave, `approve ${id} myVM`));
    expect(after).toMatchObject({ state: 'executed' });
    expect(after.outcome).toContain('Azure finished it');
    expect((await h.service.getVm('myVM')).protection.softDeleted).toBeDefined();
    expect(deleteJobs()).toBe(1);
  });

  it('leaves a still-running resource group deletion for the next sweep, then records how it ended', async () => {
    await h.close();
    h = await startHarness({ operationTimeScale: 1 });
    const dying = await bot({ stallAfterAccepted: true });
    const { id } = approval(await dying.say(alice, 'delete resource group rg-eastus'));
    void dying.say(dave, `approve ${id} rg-eastus`);
    await operationOnRecord(dying, id);
    const next = await bot();
    clockOffset = 60 * 60_000;
    expect(await next.approvals.sweep(60_000)).toMatchObject({ interrupted: 0 });
    expect(approval(await next.say(dave, `approve ${id} rg-eastus`)).state).toBe('executing');
    h.advanceMinutes(1); // ARM finishes the deletion
    expect(await next.approvals.sweep(60_000)).toMatchObject({ interrupted: 1 });
    expect(approval(await next.say(dave, `approve ${id} rg-eastus`)).state).toBe('executed');
    expect(h.sandbox.world.vmByName('db-eastus-01')).toBeUndefined();
    // One DELETE was sent: following it again never deletes twice.
    expect(
      h.sandbox.requestLog.filter((r) => r.method === 'DELETE' && /resourcegroups\/rg-eastus$/i.test(r.path)),
    ).toHaveLength(1);
  });

  describe('replace disks (restore in place)', () => {
    const replaces = () => h.sandbox.world.jobs.filter((j) => j.restore?.kind === 'OriginalLocation').length;

    it('says what is lost and what Azure keeps; refuses self-approval and a wrong name; runs once', async () => {
      const b = await bot();
      const [newest] = await h.service.listRecoveryPoints('myVM');
      const asked = approval(await b.say(bob, 'restore myVM from latest replace disks'));
      expect(asked).toMatchObject({
        state: 'requested',
        target: 'myVM',
        confirmName: 'myVM',
        action: 'Replace disks',
      });
      expect(asked.consequences.join(' ')).toMatch(
        new RegExp(`replaced with those of recovery point ${newest!.id}`),
      );
      expect(asked.consequences.join(' ')).toMatch(
        /snapshots the current disks first and leaves the original disks in resource group rg-workloads/,
      );
      expect(asked.consequences.join(' ')).toMatch(/stays in Extended Zone losangeles/);
      expect(await b.say(bob, `approve ${asked.id} myVM`)).toMatchObject({
        kind: 'error',
        code: 'approval.self',
      });
      expect(await b.say(dave, `approve ${asked.id} myvm`)).toMatchObject({ code: 'approval.name_mismatch' });
      expect(replaces()).toBe(0);
      await b.click(dave, 'approval.approve', { approvalId: asked.id, confirmName: 'myVM' });
      const done = await b.ended(asked.id);
      expect(done).toMatchObject({ state: 'executed', decidedBy: 'Dave' });
      expect(done.outcome).toMatch(/^Restore job [0-9a-f-]{36} started; follow it with "job /);
      expect(
        approval(await b.click(dave, 'approval.approve', { approvalId: asked.id, confirmName: 'myVM' }))
          .state,
      ).toBe('executed');
      expect(replaces()).toBe(1);
      h.advanceMinutes(26);
      expect(h.sandbox.world.vmByName('myVM')!.osDiskName).toMatch(/^myVM-osdisk-/);
    });

    it('hands a replace disks whose bot died once Azure accepted it to the next one, with its job to follow', async () => {
      const dying = await bot({ stallAfterAccepted: true });
      const { id } = approval(await dying.say(alice, 'restore myVM from latest replace disks'));
      void dying.say(dave, `approve ${id} myVM`);
      // On record before the bot follows Azure's operation: the crash window is closed.
      await operationOnRecord(dying, id);
      expect(await dying.approvals.startedJob(id)).toBeUndefined();
      const next = await bot();
      clockOffset = 60 * 60_000;
      expect(await next.approvals.sweep(60_000)).toMatchObject({ interrupted: 1 });
      const [restoreJob] = h.sandbox.world.jobs.filter((j) => j.restore?.kind === 'OriginalLocation');
      expect(restoreJob).toBeDefined();
      const after = approval(await next.approvals.view(id));
      expect(after.state).toBe('executed');
      expect(after.outcome).toContain(`job ${restoreJob!.id} is followed here`);
      // The card is told of the job, and the job is on record for a later process's card.
      const job = { jobId: restoreJob!.id, vaultName: 'rsv-westus', resourceGroup: 'rg-chatops' };
      expect(next.settled.find((s) => s.id === id)?.job).toMatchObject(job);
      expect(await next.approvals.startedJob(id)).toMatchObject(job);
      expect(replaces()).toBe(1);
    });

    it('re-proposes, never runs, when "latest" is another point by the time it is approved', async () => {
      const b = await bot();
      const asked = approval(await b.say(alice, 'restore myVM from latest replace disks'));
      await h.service.backupNow({ vm: 'myVM' });
      h.advanceMinutes(45); // a newer point lands in the vault
      await b.say(dave, `approve ${asked.id} myVM`);
      await b.approvals.idle();
      const answer = approval(await b.approvals.view(b.settled.find((s) => s.id === asked.id)!.reproposed!));
      expect(answer.id).not.toBe(asked.id);
      expect(answer.consequences[0]).toMatch(
        /Not run: myVM changed since the request was made; now also recovery point \d+; no longer recovery point \d+/,
      );
      expect(replaces()).toBe(0);
    });
  });

  it('lets only the requester cancel', async () => {
    const b = await bot();
    const { id } = approval(await b.say(alice, 'delete resource group rg-eastus'));
    expect(await b.say(bob, `cancel ${id}`)).toMatchObject({ kind: 'error', code: 'approval.not_requester' });
    expect(approval(await b.say(alice, `cancel ${id}`)).state).toBe('cancelled');
  });

  it('keeps a request decidable across a restart', async () => {
    const first = await bot();
    const req = approval(await first.say(alice, 'delete resource group rg-eastus'));
    expect(req.consequences.join(' ')).toMatch(/db-eastus-01/);
    await first.db.destroy();
    const second = await bot();
    await second.say(dave, `approve ${req.id} rg-eastus`);
    expect((await second.ended(req.id)).state).toBe('executed');
    expect((await h.service.listVms()).vms.map((v) => v.name)).not.toContain('db-eastus-01');
  });

  it('records every step in the audit log, readable in chat and exportable as JSON lines', async () => {
    const b = await bot();
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    await b.say(dave, `approve ${id} wrong`);
    await b.say(dave, `approve ${id} myVM`);
    await b.approvals.idle();
    const view = await b.say(alice, 'audit for myVM');
    expect(view.kind).toBe('message');
    const lines = view.kind === 'message' ? (view.facts ?? []).map((f) => `${f.title} ${f.value}`) : [];
    expect(lines.join('\n')).toMatch(/approval.requested myVM/);
    expect(lines.join('\n')).toMatch(/typed name did not match/);
    expect(lines.join('\n')).toMatch(/approval.executed myVM/);
    const exported = (await b.audit.exportJsonLines())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; user_id: string });
    expect(exported.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'backup.delete-data',
        'approval.requested',
        'approval.approve',
        'approval.approved',
        'approval.executed',
      ]),
    );
    expect(exported.find((e) => e.action === 'approval.approved')?.user_id).toBe(dave.id);
  });
});

describe('audit export', () => {
  it('prints the audit log as JSON lines from the configured database (npm run audit:export)', async () => {
    const b = await bot();
    await b.say(alice, 'backup myVM now');
    await b.db.destroy();
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/approvals/audit-export-cli.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH, DATABASE_PATH: dbPath },
      encoding: 'utf8',
    });
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; user_id: string; target: string });
    expect(lines).toContainEqual(
      expect.objectContaining({ action: 'backup.now', user_id: 'web:alice', target: 'myVM' }),
    );
  });
});
