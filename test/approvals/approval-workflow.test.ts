import { join } from 'node:path';
import { startHarness } from '../azure/service-harness.js';
import { describe, expect, it } from 'vitest';
import { toApprovalView } from '../../src/cards/present-approval.js';
import { alice, approval, approvalHarness, bob, dave, operationOnRecord } from '../support/approval-bot.js';
/**
 * The approval workflow through the real command registry, backup service and sandbox, with its
 * state in a SQLite file (so a "restart" is a new workflow on the same file).
 */
const t = approvalHarness();

describe('approval workflow', () => {
  it('turns a destructive command into a request that says what is lost, and runs nothing', async () => {
    const b = await t.bot();
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
    expect((await t.h.service.getVm('myVM')).protection.state).toBe('Protected');
  });

  it('audits a decision that came after the request was decided as "no effect", not "ok"', async () => {
    const b = await t.bot();
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
    expect(t.deleteJobs()).toBe(0);
  });

  it('never runs a rejected request', async () => {
    const b = await t.bot();
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    expect(approval(await b.click(dave, 'approval.reject', { approvalId: id }))).toMatchObject({
      state: 'rejected',
      decidedBy: 'Dave',
    });
    expect(approval(await b.say(bob, `approve ${id} myVM`)).state).toBe('rejected');
    expect(t.deleteJobs()).toBe(0);
  });

  it('refuses to ask for a resource group deletion its vault would block, and says what to do first', async () => {
    const b = await t.bot();
    const refused = await b.say(alice, 'delete resource group rg-chatops');
    expect(refused).toMatchObject({ kind: 'error', code: 'validation.resource_group_blocked' });
    expect(JSON.stringify(refused)).toContain('stop backup for myVM and delete data');
    // Once myVM's data is (soft-)deleted the request can be made, and says what happens to the vault.
    await t.h.service.stopProtection({ vm: 'myVM', deleteData: true });
    const req = approval(await b.say(alice, 'delete resource group rg-chatops'));
    expect(req.consequences.join(' ')).toMatch(/rsv-westus goes with its soft-deleted backup data \(myVM\)/);
  });

  it('runs what was approved or nothing: a group that changed since the request is re-proposed, not deleted', async () => {
    const b = await t.bot();
    const asked = approval(await b.say(alice, 'delete resource group rg-eastus'));
    // A vault joins the group after the request was made.
    t.h.sandbox.world.addVault('rg-eastus', 'rsv-late', 'eastus');
    expect(approval(await b.say(dave, `approve ${asked.id} rg-eastus`)).state).toBe('executing');
    await b.approvals.idle();
    // The card is told of a new request with the new plan; the approved one never ran.
    const reproposed = b.settled.find((s) => s.id === asked.id)?.reproposed;
    expect(reproposed).toBeDefined();
    const answer = toApprovalView(await b.approvals.record(reproposed!));
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
    expect(t.h.sandbox.world.vmByName('db-eastus-01')).toBeDefined();
    // The new plan, approved, runs.
    await b.say(dave, `approve ${answer.id} rg-eastus`);
    expect((await b.ended(answer.id)).state).toBe('executed');
    expect(t.h.sandbox.world.vmByName('db-eastus-01')).toBeUndefined();
  });

  it('runs a data deletion when only the recovery points grew since the request', async () => {
    const b = await t.bot();
    const asked = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    await t.h.service.backupNow({ vm: 'myVM' });
    t.h.advanceMinutes(45); // its point lands in the vault, within the request's hour
    await b.say(dave, `approve ${asked.id} myVM`);
    expect((await b.ended(asked.id)).state).toBe('executed');
  });

  it('follows an approved deletion whose bot died after Azure accepted it to its real outcome', async () => {
    const dying = await t.bot({ stallAfterAccepted: true });
    const { id } = approval(await dying.say(alice, 'stop backup for myVM and delete data'));
    // The approver's click never returns: the bot dies while following Azure's operation.
    void dying.say(dave, `approve ${id} myVM`);
    await operationOnRecord(dying, id);
    const next = await t.bot();
    t.clockOffset = 60 * 60_000; // long after any run could have ended
    expect(await next.approvals.sweep(60_000)).toMatchObject({ interrupted: 1 });
    const after = approval(await next.say(dave, `approve ${id} myVM`));
    expect(after).toMatchObject({ state: 'executed' });
    expect(after.outcome).toContain('Azure finished it');
    expect((await t.h.service.getVm('myVM')).protection.softDeleted).toBeDefined();
    expect(t.deleteJobs()).toBe(1);
  });

  it('leaves a still-running resource group deletion for the next sweep, then records how it ended', async () => {
    await t.h.close();
    t.h = await startHarness({ operationTimeScale: 1 });
    const dying = await t.bot({ stallAfterAccepted: true });
    const { id } = approval(await dying.say(alice, 'delete resource group rg-eastus'));
    void dying.say(dave, `approve ${id} rg-eastus`);
    await operationOnRecord(dying, id);
    const next = await t.bot();
    t.clockOffset = 60 * 60_000;
    expect(await next.approvals.sweep(60_000)).toMatchObject({ interrupted: 0 });
    expect(approval(await next.say(dave, `approve ${id} rg-eastus`)).state).toBe('executing');
    t.h.advanceMinutes(1); // ARM finishes the deletion
    expect(await next.approvals.sweep(60_000)).toMatchObject({ interrupted: 1 });
    expect(approval(await next.say(dave, `approve ${id} rg-eastus`)).state).toBe('executed');
    expect(t.h.sandbox.world.vmByName('db-eastus-01')).toBeUndefined();
    // One DELETE was sent: following it again never deletes twice.
    expect(
      t.h.sandbox.requestLog.filter(
        (r) => r.method === 'DELETE' && /resourcegroups\/rg-eastus$/i.test(r.path),
      ),
    ).toHaveLength(1);
  });

  describe('replace disks (restore in place)', () => {
    const replaces = () =>
      t.h.sandbox.world.jobs.filter((j) => j.restore?.kind === 'OriginalLocation').length;

    it('says what is lost and what Azure keeps; refuses self-approval and a wrong name; runs once', async () => {
      const b = await t.bot();
      const [newest] = await t.h.service.listRecoveryPoints('myVM');
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
      t.h.advanceMinutes(26);
      expect(t.h.sandbox.world.vmByName('myVM')!.osDiskName).toMatch(/^myVM-osdisk-/);
    });

    it('hands a replace disks whose bot died once Azure accepted it to the next one, with its job to follow', async () => {
      const dying = await t.bot({ stallAfterAccepted: true });
      const { id } = approval(await dying.say(alice, 'restore myVM from latest replace disks'));
      void dying.say(dave, `approve ${id} myVM`);
      // On record before the bot follows Azure's operation: the crash window is closed.
      await operationOnRecord(dying, id);
      expect(await dying.approvals.startedJob(id)).toBeUndefined();
      const next = await t.bot();
      t.clockOffset = 60 * 60_000;
      expect(await next.approvals.sweep(60_000)).toMatchObject({ interrupted: 1 });
      const [restoreJob] = t.h.sandbox.world.jobs.filter((j) => j.restore?.kind === 'OriginalLocation');
      expect(restoreJob).toBeDefined();
      const after = toApprovalView(await next.approvals.record(id));
      expect(after.state).toBe('executed');
      expect(after.outcome).toContain(`job ${restoreJob!.id} is followed here`);
      // The card is told of the job, and the job is on record for a later process's card.
      const job = { jobId: restoreJob!.id, vaultName: 'rsv-westus', resourceGroup: 'rg-chatops' };
      expect(next.settled.find((s) => s.id === id)?.job).toMatchObject(job);
      expect(await next.approvals.startedJob(id)).toMatchObject(job);
      expect(replaces()).toBe(1);
    });

    it('re-proposes, never runs, when "latest" is another point by the time it is approved', async () => {
      const b = await t.bot();
      const asked = approval(await b.say(alice, 'restore myVM from latest replace disks'));
      await t.h.service.backupNow({ vm: 'myVM' });
      t.h.advanceMinutes(45); // a newer point lands in the vault
      await b.say(dave, `approve ${asked.id} myVM`);
      await b.approvals.idle();
      const answer = toApprovalView(
        await b.approvals.record(b.settled.find((s) => s.id === asked.id)!.reproposed!),
      );
      expect(answer.id).not.toBe(asked.id);
      expect(answer.consequences[0]).toMatch(
        /Not run: myVM changed since the request was made; now also recovery point \d+; no longer recovery point \d+/,
      );
      expect(replaces()).toBe(0);
    });
  });

  it('logs an approved action that throws, and its card shows it failed and where the error is', async () => {
    const b = await t.bot({ runInstead: () => Promise.reject(new Error('socket hang up')) });
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    await b.click(dave, 'approval.approve', { approvalId: id, confirmName: 'myVM' });
    const card = await b.ended(id);
    expect(card.state).toBe('failed');
    // The error's own text goes to the log only: it may carry what chat must not show.
    expect(card.outcome).toBe(
      `The action failed unexpectedly; the error is in the bot's log under approval ${id}.`,
    );
    expect(b.settled).toEqual([{ id, state: 'failed', outcome: card.outcome }]);
    expect(b.logged).toContainEqual({
      level: 'error',
      msg: 'approved action failed unexpectedly',
      fields: { approvalId: id, action: 'backup.delete-data', error: 'socket hang up' },
    });
  });

  it('logs an outcome its card could not be told of; the outcome stays on record', async () => {
    const b = await t.bot({ onSettled: () => Promise.reject(new Error('chat is down')) });
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    await b.click(dave, 'approval.approve', { approvalId: id, confirmName: 'myVM' });
    expect((await b.ended(id)).state).toBe('executed');
    expect(b.logged).toContainEqual({
      level: 'warn',
      msg: 'approval outcome not shown on its card',
      fields: { approvalId: id, state: 'executed', error: 'chat is down' },
    });
  });

  it('keeps a request decidable across a restart', async () => {
    const first = await t.bot();
    const req = approval(await first.say(alice, 'delete resource group rg-eastus'));
    expect(req.consequences.join(' ')).toMatch(/db-eastus-01/);
    await first.db.destroy();
    const second = await t.bot();
    await second.say(dave, `approve ${req.id} rg-eastus`);
    expect((await second.ended(req.id)).state).toBe('executed');
    expect((await t.h.service.listVms()).vms.map((v) => v.name)).not.toContain('db-eastus-01');
  });

  it('records every step in the audit log, readable in chat and exportable as JSON lines', async () => {
    const b = await t.bot();
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
    const b = await t.bot();
    await b.say(alice, 'backup myVM now');
    await b.db.destroy();
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/audit-export-cli.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH, DATABASE_PATH: t.dbPath },
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
