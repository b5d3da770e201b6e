import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorView } from '../../src/chat/error-view.js';
import { SANDBOX_SECOND_SUBSCRIPTION as EAST, SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';
import type { Harness } from './service-harness.js';
import { appErrorOf, startHarness, TWO_SUBSCRIPTIONS } from './service-harness.js';

describe('backup service over several subscriptions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, TWO_SUBSCRIPTIONS);
  });
  afterAll(() => h.close());

  it('lists the vaults of every subscription, each with its own subscription id', async () => {
    const vaults = await h.service.listVaults();
    expect(vaults.map((v) => [v.name, v.subscriptionId])).toEqual([
      ['rsv-westus', SANDBOX_SUBSCRIPTION_ID],
      ['rsv-eastus', EAST.id],
    ]);
  });

  it('lists VMs across all vaults, each against the vault of its own subscription that holds it', async () => {
    const { vaults, vms } = await h.service.listVmsEverywhere();
    expect(vaults).toHaveLength(2);
    const byName = new Map(vms.map((v) => [v.name, v]));
    expect(byName.get('app-east-01')).toMatchObject({
      subscriptionId: EAST.id,
      protection: { state: 'Protected', vaultName: 'rsv-eastus' },
      eligibility: { eligible: true },
    });
    expect(byName.get('api-east-01')).toMatchObject({ protection: { state: 'NotProtected' } });
    expect(byName.get('myVM')).toMatchObject({ protection: { vaultName: 'rsv-westus' } });
  });

  it('merges the jobs of every vault, newest first', async () => {
    const jobs = await h.service.listJobsEverywhere({ limit: 50 });
    expect(new Set(jobs.map((j) => j.vaultName))).toEqual(new Set(['rsv-westus', 'rsv-eastus']));
    const starts = jobs.map((j) => j.startTime ?? '');
    expect(starts).toEqual([...starts].sort().reverse());
    expect(await h.service.listJobsEverywhere({ limit: 2 })).toHaveLength(2);
  });

  it('routes a vault named without its subscription to the subscription that has it', async () => {
    const jobs = await h.service.listJobs({}, { vault: 'rsv-eastus' });
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.vaultName === 'rsv-eastus' && j.vmName === 'app-east-01')).toBe(true);
    const job = await h.service.getJob(jobs[0]!.id, { vault: 'rsv-eastus', resourceGroup: 'rg-backup-east' });
    expect(job.id).toBe(jobs[0]!.id);
  });

  it('takes a subscription named by display name or id, and refuses one it does not work in', async () => {
    expect((await h.service.getVault({ subscription: 'contoso east' })).name).toBe('rsv-eastus');
    expect((await h.service.getVault({ subscription: EAST.id })).name).toBe('rsv-eastus');
    expect((await h.service.getVault({ subscription: 'Chat-ops sandbox' })).name).toBe('rsv-westus');
    const e = await appErrorOf(h.service.getVault({ subscription: 'Contoso Eest' }));
    expect(e.code).toBe('validation.subscription_not_found');
    expect(toErrorView(e).hint).toMatch(/^Did you mean Contoso East\?/);
  });

  it("acts on a VM of the second subscription in that subscription's default vault", async () => {
    const vm = await h.service.getVm('app-east-01');
    expect(vm).toMatchObject({ subscriptionId: EAST.id, protection: { vaultName: 'rsv-eastus' } });
    const points = await h.service.listRecoveryPoints('app-east-01');
    expect(points.length).toBeGreaterThan(0);
    // A VM that no subscription has is still "not found", with the first subscription's words.
    expect((await appErrorOf(h.service.getVm('nowhere-01'))).code).toBe('validation.vm_not_found');
  });

  it('backs up a VM of the second subscription, the requests going to that subscription only', async () => {
    const before = h.sandbox.requestLog.length;
    const r = await h.service.backupNow({ vm: 'app-east-01' });
    expect(r.job).toMatchObject({
      vaultName: 'rsv-eastus',
      vaultResourceGroup: EAST.vaultResourceGroup,
      vmName: 'app-east-01',
      operation: 'Backup',
    });
    const posts = h.sandbox.requestLog.slice(before).filter((q) => q.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.path).toContain(`/subscriptions/${EAST.id}/`);
    expect(h.sandbox.worldOf(EAST.id).jobs.some((j) => j.id === r.job.id)).toBe(true);
    expect(h.sandbox.world.jobs.some((j) => j.id === r.job.id)).toBe(false);
  });
});
