import { describe, expect, it } from 'vitest';
import { alice, approval, approvalHarness, bob, dave } from '../support/approval-bot.js';

/**
 * The two-person rules of destructive actions, through the real command registry, workflow and
 * sandbox: no self-approval, only approvers decide, the typed name must match, one decision takes
 * effect, an expired request cannot be approved, only the requester cancels. Across platforms and
 * aliases: self-approval.test.ts.
 */
const t = approvalHarness();

describe('approval rules', () => {
  it('refuses self-approval, a non-approver and a wrong typed name; then an approver with the name runs it once', async () => {
    const b = await t.bot();
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
    expect(t.deleteJobs()).toBe(0);
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
    expect((await t.h.service.getVm('myVM')).protection).toMatchObject({
      state: 'ProtectionStopped',
      softDeleted: { purgeAt: expect.any(String) },
    });
    // A replayed click changes nothing and runs nothing.
    expect(
      approval(await b.click(dave, 'approval.approve', { approvalId: id, confirmName: 'myVM' })).state,
    ).toBe('executed');
    expect(t.deleteJobs()).toBe(1);
  });

  it('runs the action exactly once under 100 concurrent approvals', async () => {
    const b = await t.bot();
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        b.click(i % 2 ? dave : bob, 'approval.approve', { approvalId: id, confirmName: 'myVM' }),
      ),
    );
    expect(results.every((r) => r.kind === 'approval')).toBe(true);
    await b.approvals.idle();
    expect(t.deleteJobs()).toBe(1);
    const executed = (await b.audit.list({ limit: 200 })).filter((e) => e.action === 'approval.executed');
    expect(executed).toHaveLength(1);
    // The approvals that lost the race changed nothing, and the audit log says so.
    const clicks = (await b.audit.list({ limit: 300 })).filter((e) => e.action === 'approval.approve');
    expect(clicks.map((e) => e.outcome).sort()).toEqual([...Array<string>(99).fill('no effect'), 'ok']);
  });

  it('refuses an expired request and marks it expired', async () => {
    const b = await t.bot();
    const { id } = approval(await b.say(alice, 'stop backup for myVM and delete data'));
    t.clockOffset = 61 * 60_000;
    expect(await b.say(dave, `approve ${id} myVM`)).toMatchObject({
      kind: 'error',
      code: 'approval.expired',
    });
    expect(
      approval(await b.click(dave, 'approval.approve', { approvalId: id, confirmName: 'myVM' })).state,
    ).toBe('expired');
    expect(t.deleteJobs()).toBe(0);
  });

  it('lets only the requester cancel', async () => {
    const b = await t.bot();
    const { id } = approval(await b.say(alice, 'delete resource group rg-eastus'));
    expect(await b.say(bob, `cancel ${id}`)).toMatchObject({ kind: 'error', code: 'approval.not_requester' });
    expect(approval(await b.say(alice, `cancel ${id}`)).state).toBe('cancelled');
  });
});
