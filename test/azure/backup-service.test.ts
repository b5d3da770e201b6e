import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDay } from '../../src/domain/index.js';
import type { Harness } from './service-harness.js';
import { appErrorOf, hintOf, startHarness } from './service-harness.js';

/**
 * The backup service through the real Azure SDK clients, over HTTPS, against the sandbox.
 * Each block starts its own sandbox so the seeded world is fresh.
 */

describe('VMs and vaults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists the VMs with region, Extended Zone, power state, OS, agent, protection and eligibility', async () => {
    const { vault, vms } = await h.service.listVms();
    expect(vault).toMatchObject({ name: 'rsv-westus', location: 'westus' });
    const byName = new Map(vms.map((v) => [v.name, v]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining([
        'myVM',
        'ez-linux-01',
        'web-linux-01',
        'legacy-win-01',
        'win-noagent-01',
        'db-eastus-01',
      ]),
    );
    expect(byName.get('myVM')).toMatchObject({
      location: 'westus',
      extendedZone: 'losangeles',
      osType: 'Windows',
      powerState: 'running',
      protection: { state: 'Protected', policyName: 'EnhancedPolicy', policyKind: 'Enhanced' },
      eligibility: { eligible: true },
    });
    expect(byName.get('web-linux-01')).toMatchObject({
      osType: 'Linux',
      powerState: 'deallocated',
      protection: { state: 'NotProtected' },
    });
    // The subscription-wide listing is not relied on for the agent: nobody is said to have none.
    for (const vm of vms) {
      expect(vm).toMatchObject({ agentChecked: false, agent: { ok: true, checked: false } });
      expect(vm.agentVersion).toBeUndefined();
    }
    const east = byName.get('db-eastus-01');
    expect(east?.eligibility.eligible).toBe(false);
    expect(east?.eligibility.reason).toMatchObject({ code: 'other-region', vmLocation: 'eastus' });
  });

  it("reads one VM's agent from its own instance view", async () => {
    expect(await h.service.getVm('myVM')).toMatchObject({
      agentChecked: true,
      agentVersion: '2.7.41491.1102',
      agent: { ok: true, checked: true },
    });
    expect((await h.service.getVm('web-linux-01')).agent).toMatchObject({ ok: true, severity: 'warning' });
    expect((await h.service.getVm('legacy-win-01')).agent).toMatchObject({
      ok: false,
      severity: 'blocking',
      issue: 'outdated',
    });
    expect((await h.service.getVm('win-noagent-01')).agent).toMatchObject({
      ok: false,
      severity: 'blocking',
      issue: 'missing',
    });
    const viewReads = h.sandbox.requestLog.filter((r) =>
      /\/virtualMachines\/[^/]+\/instanceView$/i.test(r.path),
    );
    expect(viewReads.length).toBeGreaterThanOrEqual(4);
  });

  it('finds a VM by resource group and name, in any case', async () => {
    expect((await h.service.getVm('rg-workloads/MYVM')).name).toBe('myVM');
  });

  it('says which VM was probably meant when the name is unknown', async () => {
    const e = await appErrorOf(h.service.getVm('myVn'));
    expect(e.code).toBe('validation.vm_not_found');
    expect(hintOf(e)).toMatch(/Did you mean myVM/);
  });

  it('refuses a VM name that is not a valid Azure name before calling Azure', async () => {
    const before = h.sandbox.requestLog.length;
    const e = await appErrorOf(h.service.getVm("x' or 1 eq 1"));
    expect(e.code).toBe('validation.vm_name');
    expect(h.sandbox.requestLog.length - before).toBeLessThanOrEqual(1); // at most the vault read
  });

  it('refuses a vault in an Extended Zone before any call, suggesting the parent region', async () => {
    const before = h.sandbox.requestLog.length;
    const e = await appErrorOf(h.service.createVault({ name: 'rsv-la', location: 'losangeles' }));
    expect(e.code).toBe('validation.vault_in_extended_zone');
    expect(hintOf(e)).toBe('create vault <name> in westus');
    expect(h.sandbox.requestLog.length).toBe(before);
  });

  it('creates a vault, and its resource group when missing', async () => {
    const { vault, created } = await h.service.createVault({
      name: 'rsv-new',
      location: 'West US',
      resourceGroup: 'rg-new',
    });
    expect(created).toBe(true);
    expect(vault).toMatchObject({
      name: 'rsv-new',
      resourceGroup: 'rg-new',
      location: 'westus',
      provisioningState: 'Succeeded',
    });
    const again = await h.service.createVault({
      name: 'rsv-new',
      location: 'westus',
      resourceGroup: 'rg-new',
    });
    expect(again.created).toBe(false);
    expect((await h.service.listVaults()).map((v) => v.name)).toEqual(
      expect.arrayContaining(['rsv-new', 'rsv-westus']),
    );
  });

  it('refuses an invalid vault name', async () => {
    expect((await appErrorOf(h.service.createVault({ name: '9-lives', location: 'westus' }))).code).toBe(
      'validation.vault_name',
    );
  });

  it('describes and deletes a resource group', async () => {
    const rg = await h.service.describeResourceGroup('rg-eastus');
    expect(rg.location).toBe('eastus');
    expect(rg.resources.map((r) => r.name)).toContain('db-eastus-01');
    await h.service.deleteResourceGroup('rg-eastus');
    const e = await appErrorOf(h.service.describeResourceGroup('rg-eastus'));
    expect(e.code).toBe('azure.ResourceGroupNotFound');
    expect((await h.service.listVms()).vms.map((v) => v.name)).not.toContain('db-eastus-01');
  });
});

describe('policies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists the standard and Enhanced policies of the vault', async () => {
    const policies = await h.service.listPolicies();
    const enhanced = policies.find((p) => p.name === 'EnhancedPolicy');
    expect(enhanced).toMatchObject({
      kind: 'Enhanced',
      schedule: { frequency: 'Hourly', intervalHours: 4, windowStartTime: '08:00', windowDurationHours: 12 },
      instantRestoreDays: 7,
    });
    expect(enhanced?.restorePointResourceGroupPrefix).toBeTruthy();
    expect(policies.find((p) => p.name === 'DefaultPolicy')).toMatchObject({
      kind: 'Standard',
      instantRestoreDays: 2,
    });
  });

  it('creates an Enhanced daily policy with long-term retention and reads it back', async () => {
    const p = await h.service.createPolicy({
      name: 'daily-2200',
      kind: 'Enhanced',
      schedule: { frequency: 'Daily', time: '22:00' },
      instantRestoreDays: 10,
      retention: { dailyDays: 90, weeklyWeeks: 26, monthlyMonths: 24, yearlyYears: 7 },
    });
    expect(p).toMatchObject({
      name: 'daily-2200',
      kind: 'Enhanced',
      schedule: { frequency: 'Daily', time: '22:00' },
      instantRestoreDays: 10,
      retention: { dailyDays: 90, weeklyWeeks: 26, monthlyMonths: 24, yearlyYears: 7 },
    });
    expect((await h.service.getPolicy('daily-2200')).id).toBe(p.id);
  });

  it('refuses retention out of bounds before calling Azure, naming the range', async () => {
    const before = h.count('PUT');
    const e = await appErrorOf(
      h.service.createPolicy({
        name: 'too-long',
        kind: 'Enhanced',
        schedule: { frequency: 'Daily', time: '22:00' },
        retention: { dailyDays: 10_000 },
      }),
    );
    expect(e.code).toBe('validation.policy');
    expect(e.message).toContain('7–9999');
    expect(h.count('PUT')).toBe(before);
  });

  it('names the existing policies when asked for an unknown one', async () => {
    const e = await appErrorOf(h.service.getPolicy('EnhancedPolicyy'));
    expect(e.code).toBe('validation.policy_not_found');
    expect(e.suggestions).toContainEqual({
      kind: 'choose',
      what: 'policy',
      names: ['EnhancedPolicy'],
      near: true,
    });
    expect(hintOf(e)).toBe('Did you mean EnhancedPolicy?');
  });
});

describe('enabling protection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('refuses a standard policy for an Extended Zone VM before writing anything', async () => {
    const puts = h.count('PUT');
    const e = await appErrorOf(h.service.enableProtection({ vm: 'ez-linux-01', policy: 'DefaultPolicy' }));
    expect(e.code).toBe('validation.extended_zone_needs_enhanced_policy');
    expect(e.message).toMatch(/losangeles/);
    expect(h.count('PUT')).toBe(puts);
  });

  it('discovers a new Extended Zone VM and protects it with the Enhanced policy by default', async () => {
    const refreshes = () => h.sandbox.requestLog.filter((r) => /refreshContainers/i.test(r.path)).length;
    const r = await h.service.enableProtection({ vm: 'ez-linux-01' });
    expect(refreshes()).toBe(1);
    expect(r.alreadyProtected).toBe(false);
    expect(r.policy.name).toBe('EnhancedPolicy');
    expect(r.jobId).toMatch(/^[0-9a-f-]{36}$/);
    // As Azure answers right after enabling: protected, no backup yet (never the 2001 placeholder).
    expect(r.vm.protection).toMatchObject({ state: 'IRPending', policyName: 'EnhancedPolicy' });
    expect(r.vm.protection.lastBackupTime).toBeUndefined();
    expect(r.vm.protection.lastBackupStatus).toBeUndefined();
    expect(r.consistency.kind).toBe('application-consistent');
    const job = await h.service.getJob(r.jobId!);
    expect(job).toMatchObject({ operation: 'ConfigureBackup', vmName: 'ez-linux-01' });
  });

  it('says so when the VM is already protected by that policy, without writing', async () => {
    const puts = h.count('PUT');
    const r = await h.service.enableProtection({ vm: 'myVM', policy: 'EnhancedPolicy' });
    expect(r.alreadyProtected).toBe(true);
    expect(h.count('PUT')).toBe(puts);
  });

  it('protects a stopped VM and expects a crash-consistent point', async () => {
    const r = await h.service.enableProtection({ vm: 'web-linux-01', policy: 'EnhancedPolicy' });
    expect(r.consistency.kind).toBe('crash-consistent');
    expect(r.vm.agent.severity).toBe('warning');
  });

  it('refuses to move a VM from an Enhanced policy back to a standard one', async () => {
    const e = await appErrorOf(h.service.enableProtection({ vm: 'web-linux-01', policy: 'DefaultPolicy' }));
    expect(e.code).toBe('validation.policy_downgrade');
  });

  it('flags an old Windows agent with the fix', async () => {
    const e = await appErrorOf(h.service.enableProtection({ vm: 'legacy-win-01' }));
    expect(e.code).toBe('validation.vm_agent');
    expect(e.message).toMatch(/2\.6\.1198\.600/);
    expect(hintOf(e)).toMatch(/2\.6\.1198\.718 or later/);
  });

  it('refuses a VM of another region, with the reason', async () => {
    const e = await appErrorOf(h.service.enableProtection({ vm: 'db-eastus-01' }));
    expect(e.code).toBe('validation.vm_not_eligible');
    expect(e.message).toMatch(/eastus/);
  });

  it('refuses an unknown VM', async () => {
    expect((await appErrorOf(h.service.enableProtection({ vm: 'ghost-vm' }))).code).toBe(
      'validation.vm_not_found',
    );
  });

  it('refuses an unknown policy', async () => {
    expect(
      (await appErrorOf(h.service.enableProtection({ vm: 'win-noagent-01', policy: 'Nope-Policy' }))).code,
    ).toBe('validation.policy_not_found');
  });
});

describe('backup now and its job', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ snapshotMinutes: 8, transferMinutes: 33 });
  });
  afterAll(() => h.close());

  let first: string;

  it('starts a backup kept 30 days by default, in its snapshot phase', async () => {
    const r = await h.service.backupNow({ vm: 'myVM' });
    first = r.job.id;
    expect(r.retainUntil).toBe(addDays(isoDay(h.sandbox.clock.now()), 30));
    expect(r.job).toMatchObject({
      vmName: 'myVM',
      operation: 'Backup',
      status: 'InProgress',
    });
    expect(r.job.phases?.snapshot.status).toBe('InProgress');
    expect(r.job.phases?.transfer.status).toBe('NotStarted');
  });

  it('refuses a second backup while the first is taking its snapshot, naming the running job', async () => {
    const e = await appErrorOf(h.service.backupNow({ vm: 'myVM' }));
    expect(e.code).toBe('azure.UserErrorBackupOperationInProgress');
    expect(e.azureCode).toBe('UserErrorBackupOperationInProgress');
    expect(e.details.runningJobId).toBe(first);
    expect(e.message).toContain(first);
  });

  it('moves to the transfer once the snapshot completes', async () => {
    h.advanceMinutes(8);
    const job = await h.service.getJob(first);
    expect(job.phases?.snapshot.status).toBe('Completed');
    expect(job.phases?.transfer.status).toBe('InProgress');
    expect(job.status).toBe('InProgress');
  });

  it('starts a second backup while the first is only transferring; its transfer is skipped', async () => {
    const second = await h.service.backupNow({
      vm: 'myVM',
      retain: { until: addDays(isoDay(h.sandbox.clock.now()), 7) },
    });
    h.advanceMinutes(8);
    const job = await h.service.getJob(second.job.id);
    expect(job.phases?.snapshot.status).toBe('Completed');
    expect(job.phases?.transfer.status).toBe('Skipped');
    expect(job.status).toBe('Completed');
  });

  it('completes the first job and adds a recovery point in the Extended Zone', async () => {
    const before = await h.service.listRecoveryPoints('myVM');
    h.advanceMinutes(30);
    const job = await h.service.getJob(first);
    expect(job.status).toBe('Completed');
    expect(job.phases?.transfer.status).toBe('Completed');
    expect(job.phases?.snapshot.durationMs).toBe(8 * 60_000);
    const after = await h.service.listRecoveryPoints('myVM');
    expect(after.length).toBe(before.length + 1);
    expect(after[0]).toMatchObject({ consistency: 'AppConsistent', extendedZone: 'losangeles' });
  });

  it('reports a failed transfer as completed with warning, with the error', async () => {
    h.sandbox.failNextBackup('myVM', 'transfer');
    const r = await h.service.backupNow({ vm: 'myVM' });
    h.advanceMinutes(45);
    const job = await h.service.getJob(r.job.id);
    expect(job.status).toBe('CompletedWithWarnings');
    expect(job.phases?.transfer.status).toBe('Failed');
    expect(job.errors.length).toBeGreaterThan(0);
  });

  it('reports a failed snapshot as failed', async () => {
    h.sandbox.failNextBackup('myVM', 'snapshot');
    const r = await h.service.backupNow({ vm: 'myVM' });
    h.advanceMinutes(10);
    const job = await h.service.getJob(r.job.id);
    expect(job.status).toBe('Failed');
    expect(job.phases?.snapshot.status).toBe('Failed');
    expect(job.errors[0]?.message).toBeTruthy();
  });

  it('refuses retain-until dates in the past or beyond 99 years', async () => {
    const today = isoDay(h.sandbox.clock.now());
    expect(
      (await appErrorOf(h.service.backupNow({ vm: 'myVM', retain: { until: addDays(today, -1) } }))).code,
    ).toBe('validation.retain_until');
    expect(
      (await appErrorOf(h.service.backupNow({ vm: 'myVM', retain: { until: '2199-01-01' } }))).code,
    ).toBe('validation.retain_until');
  });

  it('refuses to back up a VM that is not protected', async () => {
    const e = await appErrorOf(h.service.backupNow({ vm: 'web-linux-01' }));
    expect(e.code).toBe('validation.vm_not_protected');
    expect(hintOf(e)).toMatch(/enable backup for web-linux-01/);
  });

  it('refuses a job id that is not one', async () => {
    expect((await appErrorOf(h.service.getJob("1' or '1'='1"))).code).toBe('validation.job_id');
    expect((await appErrorOf(h.service.getJob('00000000-0000-0000-0000-000000000000'))).code).toBe(
      'validation.job_not_found',
    );
  });

  it('names a missing vault as such when asked for a job in it', async () => {
    const id = '00000000-0000-0000-0000-000000000000';
    const e = await appErrorOf(h.service.getJob(id, { vault: 'rsv-nowhere' }));
    expect(e.code).toBe('validation.vault_not_found');
    expect(e.message).toMatch(/There is no vault rsv-nowhere in resource group/);
  });
});

describe('job lists', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.service.backupNow({ vm: 'myVM' });
  });
  afterAll(() => h.close());

  it('lists jobs newest first, without phases', async () => {
    const jobs = await h.service.listJobs();
    expect(jobs.length).toBeGreaterThan(2);
    expect(jobs[0]).toMatchObject({ vmName: 'myVM', operation: 'Backup', status: 'InProgress' });
    expect(jobs[0]?.phases).toBeUndefined();
    const times = jobs.map((j) => j.startTime ?? '');
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('filters by status, operation, VM and time window', async () => {
    expect((await h.service.listJobs({ status: 'InProgress' })).every((j) => j.status === 'InProgress')).toBe(
      true,
    );
    expect(
      (await h.service.listJobs({ operation: 'ConfigureBackup' })).every(
        (j) => j.operation === 'ConfigureBackup',
      ),
    ).toBe(true);
    const failed = await h.service.listJobs({ status: 'Failed' });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((j) => j.status === 'Failed')).toBe(true);
    const now = h.sandbox.clock.now();
    const recent = await h.service.listJobs({ since: new Date(now.getTime() - 3_600_000) });
    expect(recent.map((j) => j.status)).toEqual(['InProgress']);
    expect((await h.service.listJobs({ vmName: 'db-eastus-01' })).length).toBe(0);
    expect((await h.service.listJobs({ limit: 1 })).length).toBe(1);
  });
});

describe('stopping protection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('stops backup keeping the data, after which backup now is refused', async () => {
    const r = await h.service.stopProtection({ vm: 'myVM', deleteData: false });
    expect(r).toMatchObject({ vmName: 'myVM', deletedData: false });
    expect((await h.service.getVm('myVM')).protection.state).toBe('ProtectionStopped');
    expect((await h.service.listRecoveryPoints('myVM')).length).toBeGreaterThan(0);
    expect((await appErrorOf(h.service.backupNow({ vm: 'myVM' }))).code).toBe('validation.vm_not_protected');
  });

  it('stops backup deleting the data, which soft delete keeps 14 days', async () => {
    const r = await h.service.stopProtection({ vm: 'myVM', deleteData: true });
    expect(r.deletedData).toBe(true);
    expect(r.jobId).toMatch(/^[0-9a-f-]{36}$/);
    const until = new Date(h.sandbox.clock.now().getTime() + 14 * 86_400_000).toISOString();
    expect(r.softDeletedUntil).toBe(until);
    const vm = await h.service.getVm('myVM');
    expect(vm.protection).toMatchObject({ state: 'ProtectionStopped', softDeleted: { purgeAt: until } });
    // Its recovery points are kept until then.
    expect((await h.service.listRecoveryPoints('myVM')).length).toBeGreaterThan(0);
    expect((await appErrorOf(h.service.stopProtection({ vm: 'myVM', deleteData: true }))).code).toBe(
      'validation.already_deleted',
    );
    expect((await appErrorOf(h.service.backupNow({ vm: 'myVM' }))).message).toContain('soft delete keeps it');
  });

  it('undeletes soft-deleted data before protecting the VM again, as az CLI does', async () => {
    const r = await h.service.enableProtection({ vm: 'myVM', policy: 'EnhancedPolicy' });
    expect(r).toMatchObject({ undeleted: true, alreadyProtected: false });
    expect(r.vm.protection.softDeleted).toBeUndefined();
    expect(['Protected', 'IRPending']).toContain(r.vm.protection.state);
    const puts = h.sandbox.requestLog.filter((x) => x.method === 'PUT' && /protectedItems/i.test(x.path));
    expect(puts.slice(-2).map((x) => x.status)).toEqual([202, 202]);
  });

  it('refuses to stop what is not protected', async () => {
    expect((await appErrorOf(h.service.stopProtection({ vm: 'web-linux-01', deleteData: true }))).code).toBe(
      'validation.vm_not_protected',
    );
  });
});

describe('Azure errors in plain words', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('translates AuthorizationFailed and keeps the service code', async () => {
    h.sandbox.faults.inject({
      pathIncludes: 'backupPolicies',
      status: 403,
      code: 'AuthorizationFailed',
      message: 'The client does not have authorization.',
    });
    const e = await appErrorOf(h.service.listPolicies());
    expect(e.code).toBe('azure.AuthorizationFailed');
    expect(e.statusCode).toBe(403);
    expect(e.message).toMatch(/not allowed/);
    expect(hintOf(e)).toMatch(/Backup Contributor/);
    expect(e.details.azureMessage).toMatch(/does not have authorization/);
  });

  it('keeps an unknown service code and its message', async () => {
    h.sandbox.faults.inject({
      pathIncludes: 'backupJobs',
      status: 400,
      code: 'BMSUserErrorSomethingNew',
      message: 'Something new went wrong.',
    });
    const e = await appErrorOf(h.service.listJobs());
    expect(e.code).toBe('azure.BMSUserErrorSomethingNew');
    expect(e.message).toMatch(/Something new went wrong/);
  });

  it('gives up on persistent throttling with a plain message', async () => {
    h.sandbox.faults.inject({
      pathIncludes: 'backupJobs',
      status: 429,
      code: 'TooManyRequests',
      message: 'Slow down.',
      times: 20,
    });
    const e = await appErrorOf(h.service.listJobs());
    expect(e.code).toBe('azure.TooManyRequests');
    expect(e.message).toMatch(/throttling/);
  });
});

describe('under 30% throttling and some 5xx', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      faults: { throttleRate: 0.3, serverErrorRate: 0.05, retryAfterMs: 5 },
      seed: 7,
    });
  });
  afterAll(() => h.close());

  it('still completes every operation of the portal flow', async () => {
    const { vms } = await h.service.listVms();
    expect(vms.length).toBeGreaterThan(4);
    await h.service.createVault({ name: 'rsv-throttled', location: 'westus', resourceGroup: 'rg-throttled' });
    await h.service.createPolicy({
      name: 'hourly-6',
      kind: 'Enhanced',
      schedule: { frequency: 'Hourly', intervalHours: 6, windowStartTime: '06:00', windowDurationHours: 12 },
    });
    const enabled = await h.service.enableProtection({ vm: 'ez-linux-01', policy: 'hourly-6' });
    expect(enabled.jobId).toMatch(/^[0-9a-f-]{36}$/);
    const backup = await h.service.backupNow({ vm: 'ez-linux-01' });
    h.advanceMinutes(60);
    expect((await h.service.getJob(backup.job.id)).status).toBe('Completed');
    expect((await h.service.listRecoveryPoints('ez-linux-01')).length).toBe(1);
    expect((await h.service.listJobs({ vmName: 'ez-linux-01' })).length).toBeGreaterThanOrEqual(2);
    await h.service.stopProtection({ vm: 'ez-linux-01', deleteData: true });
    const stats = h.sandbox.faults.stats();
    expect(stats.throttled).toBeGreaterThan(5);
    expect(stats.serverErrors).toBeGreaterThan(0);
  });

  it('never triggers a backup twice when the trigger itself is retried', async () => {
    const before = (await h.service.listJobs({ vmName: 'myVM', operation: 'Backup' })).length;
    await h.service.backupNow({ vm: 'myVM' });
    const after = await h.service.listJobs({ vmName: 'myVM', operation: 'Backup' });
    expect(after.length).toBe(before + 1);
  });
});
