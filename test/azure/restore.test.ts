import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from './service-harness.js';
import { appErrorOf, startHarness, TWO_SUBSCRIPTIONS } from './service-harness.js';
import { SANDBOX_SECOND_SUBSCRIPTION, SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';

/** Restores through the real SDK clients against a fresh sandbox (stopped clock, recorded durations). */
describe('restore', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const restores = () => h.sandbox.world.jobs.filter((j) => j.operation === 'Restore');

  it('restores the newest point as a new VM on the configured subnet, and the job shows both tasks until the VM exists', async () => {
    const [newest] = await h.service.listRecoveryPoints('myVM');
    const r = await h.service.restore({
      vm: 'myVM',
      point: { latest: true },
      kind: 'AlternateLocation',
      targetVmName: 'myVM-restored',
    });
    expect(r.point.id).toBe(newest!.id);
    expect(r).toMatchObject({
      kind: 'AlternateLocation',
      targetResourceGroup: 'rg-workloads',
      targetVmName: 'myVM-restored',
    });
    expect(r.subnetId).toMatch(/\/virtualNetworks\/vnet-westus\/subnets\/default$/);
    expect(r.job).toMatchObject({
      operation: 'Restore',
      status: 'InProgress',
      vmName: 'myVM',
      tasks: [
        { name: 'Transfer data from vault', status: 'InProgress' },
        { name: 'Create the restored virtual machine', status: 'NotStarted' },
      ],
      restore: {
        kind: 'AlternateLocation',
        jobType: 'Recover VM to an alternate location',
        targetVmName: 'myVM-restored',
        targetResourceGroup: 'rg-workloads',
        storageAccount: 'stchatopsrestore',
        recoveryPointTime: newest!.time!.slice(0, 19) + '.000Z',
      },
    });
    expect(r.job.phases).toBeUndefined();
    // The request az CLI sends: no Extended Zone for a new VM (restored to the parent region).
    const body = restores()[0]!;
    expect(body.restore?.kind).toBe('AlternateLocation');
    h.advanceMinutes(3);
    const done = await h.service.getJob(r.job.id);
    expect(done.status).toBe('Completed');
    const vm = await h.service.getVm('myVM-restored');
    expect(vm).toMatchObject({ location: 'westus', resourceGroup: 'rg-workloads', powerState: 'running' });
    expect(vm.extendedZone).toBeUndefined();
  });

  it('restores disks from the newest point at or before a time into another group', async () => {
    const points = await h.service.listRecoveryPoints('myVM');
    const older = points[1]!;
    const r = await h.service.restore({
      vm: 'myVM',
      point: { atOrBefore: new Date(Date.parse(older.time!) + 60_000).toISOString() },
      kind: 'RestoreDisks',
      targetResourceGroup: 'rg-chatops',
    });
    expect(r.point.id).toBe(older.id);
    expect(r.job.tasks).toEqual([expect.objectContaining({ name: 'Transfer data from vault' })]);
    h.advanceMinutes(2);
    const done = await h.service.getJob(r.job.id);
    expect(done.restore?.templateBlobUri).toMatch(/^https:\/\/stchatopsrestore\.blob\.core\.windows\.net\//);
    expect(h.sandbox.world.disks).toEqual([
      expect.objectContaining({ resourceGroup: 'rg-chatops', restoredBy: r.job.id }),
    ]);
  });

  it("replaces the disks of an Extended Zone VM in its zone, as az CLI copies the point's extendedLocation", async () => {
    const r = await h.service.restore({ vm: 'myVM', point: { latest: true }, kind: 'OriginalLocation' });
    expect(r.extendedZone).toBe('losangeles');
    expect(r.job.tasks?.map((t) => t.name)).toEqual([
      'Transfer data from vault',
      'Update the virtual machine',
    ]);
    expect(r.job.restore?.targetVmName).toBeUndefined(); // null until the VM is updated, as recorded
    h.advanceMinutes(26);
    expect((await h.service.getJob(r.job.id)).restore?.targetVmName).toBe('myVM');
    expect(h.sandbox.world.vmByName('myVM')!.osDiskName).toMatch(/^myVM-osdisk-/);
  });

  it('checks before calling Azure: the point, the target name and group, the subnet, the staging account', async () => {
    const base = { vm: 'myVM', point: { latest: true } } as const;
    const posts = () => h.sandbox.requestLog.filter((r) => r.method === 'POST').length;
    const before = posts();
    expect(
      (await appErrorOf(h.service.restore({ ...base, point: { id: '42' }, kind: 'RestoreDisks' }))).code,
    ).toBe('validation.recovery_point');
    expect(
      (
        await appErrorOf(
          h.service.restore({ ...base, point: { atOrBefore: '2001-01-01T00:00:00Z' }, kind: 'RestoreDisks' }),
        )
      ).message,
    ).toMatch(/no recovery point taken at or before 2001-01-01 00:00/);
    expect(
      (
        await appErrorOf(
          h.service.restore({ ...base, kind: 'AlternateLocation', targetVmName: 'web-linux-01' }),
        )
      ).code,
    ).toBe('validation.vm_name_taken');
    expect(
      (await appErrorOf(h.service.restore({ ...base, kind: 'AlternateLocation', targetVmName: 'bad name!' })))
        .code,
    ).toBe('validation.vm_name');
    expect(
      (await appErrorOf(h.service.restore({ ...base, kind: 'RestoreDisks', targetResourceGroup: 'rg-nope' })))
        .code,
    ).toBe('validation.resource_group_not_found');
    expect(
      await appErrorOf(
        h.service.restore({
          ...base,
          kind: 'AlternateLocation',
          targetVmName: 'fresh',
          subnet: 'rg-workloads/vnet-westus/nope',
        }),
      ),
    ).toMatchObject({ suggestions: [{ kind: 'choose', what: 'subnet', names: ['default'] }] });
    h.sandbox.world.storageAccounts.clear();
    expect((await appErrorOf(h.service.restore({ ...base, kind: 'OriginalLocation' }))).code).toBe(
      'validation.staging_account',
    );
    h.sandbox.world.addStorageAccount('rg-chatops', 'stchatopsrestore', 'eastus');
    expect((await appErrorOf(h.service.restore({ ...base, kind: 'OriginalLocation' }))).message).toMatch(
      /is in eastus; Azure Backup needs one in the vault's region, westus/,
    );
    expect(
      (
        await appErrorOf(
          h.service.restore({ vm: 'web-linux-01', point: { latest: true }, kind: 'RestoreDisks' }),
        )
      ).code,
    ).toBe('validation.vm_not_protected');
    expect(posts()).toBe(before);
    expect(restores()).toEqual([]);
  });

  it('restores a deleted VM from its backup as a new VM, but will not replace the disks of a VM that is gone', async () => {
    const myVm = h.sandbox.world.vmByName('myVM')!;
    h.sandbox.world.vms.delete(myVm.id.toLowerCase());
    expect(
      (await appErrorOf(h.service.restore({ vm: 'myVM', point: { latest: true }, kind: 'OriginalLocation' })))
        .code,
    ).toBe('validation.vm_not_found');
    const r = await h.service.restore({
      vm: 'myVM',
      point: { latest: true },
      kind: 'AlternateLocation',
      targetVmName: 'myVM',
    });
    expect(r.job.status).toBe('InProgress');
  });
});

/** Restores across a fleet: the staging account and subnet settings list one per subscription and region. */
describe('restore targets of several subscriptions and regions', () => {
  const EAST = SANDBOX_SECOND_SUBSCRIPTION;
  let h: Harness | undefined;
  afterEach(() => h?.close());

  it("restores a VM of the second subscription through that subscription's own staging account and subnet", async () => {
    h = await startHarness({}, TWO_SUBSCRIPTIONS);
    const r = await h.service.restore({
      vm: 'app-east-01',
      point: { latest: true },
      kind: 'AlternateLocation',
      targetVmName: 'app-east-01-restored',
      subscription: EAST.id,
    });
    const inEast = new RegExp(`^/subscriptions/${EAST.id}/resourceGroups/`, 'i');
    expect(r.storageAccountId).toMatch(inEast);
    expect(r.storageAccountId).toMatch(/\/stchatopsrestoreeast$/);
    expect(r.subnetId).toMatch(inEast);
    expect(r.subnetId).toMatch(/\/virtualNetworks\/vnet-eastus\/subnets\/default$/);
    expect(r.job.restore?.storageAccount).toBe('stchatopsrestoreeast');
  });

  it('takes the first listed account in the vault’s region, and names what each listed one is when none is', async () => {
    h = await startHarness(
      {},
      { RESTORE_STAGING_STORAGE_ACCOUNT: 'rg-chatops/stwrongregion,rg-chatops/stchatopsrestore' },
    );
    h.sandbox.world.addStorageAccount('rg-chatops', 'stwrongregion', 'eastus');
    const r = await h.service.restore({ vm: 'myVM', point: { latest: true }, kind: 'RestoreDisks' });
    expect(r.storageAccountId).toMatch(/\/stchatopsrestore$/);
    await h.close();

    h = await startHarness(
      {},
      { RESTORE_STAGING_STORAGE_ACCOUNT: 'rg-chatops/stwrongregion,rg-chatops/stgone' },
    );
    h.sandbox.world.addStorageAccount('rg-chatops', 'stwrongregion', 'eastus');
    const e = await appErrorOf(
      h.service.restore({ vm: 'myVM', point: { latest: true }, kind: 'RestoreDisks' }),
    );
    expect(e.code).toBe('validation.staging_account');
    expect(e.message).toMatch(
      /in the vault's region, westus: stwrongregion \(eastus\), stgone \(does not exist\)/,
    );
    expect(h.sandbox.world.jobs.filter((j) => j.operation === 'Restore')).toEqual([]);
  });

  it('never stages across subscriptions: an account id of another subscription is not a candidate', async () => {
    h = await startHarness(
      {},
      {
        ...TWO_SUBSCRIPTIONS,
        RESTORE_STAGING_STORAGE_ACCOUNT: `/subscriptions/${SANDBOX_SUBSCRIPTION_ID}/resourceGroups/rg-chatops/providers/Microsoft.Storage/storageAccounts/stchatopsrestore`,
      },
    );
    const e = await appErrorOf(
      h.service.restore({
        vm: 'app-east-01',
        point: { latest: true },
        kind: 'RestoreDisks',
        subscription: EAST.id,
      }),
    );
    expect(e.code).toBe('validation.staging_account');
    expect(e.message).toContain(`configured for subscription ${EAST.id}`);
    expect(h.sandbox.world.jobs.filter((j) => j.operation === 'Restore')).toEqual([]);
  });
});
