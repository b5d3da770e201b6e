import { afterEach, describe, expect, it } from 'vitest';
import type { Json, SandboxClient } from './sandbox-client.js';
import { SUB, VAULT, itemPath, openSandbox, tasksOf, vmId } from './sandbox-client.js';

const RG = (name: string) => `${SUB}/resourceGroups/${name}`;
const STAGING = `${RG('rg-chatops')}/providers/Microsoft.Storage/storageAccounts/stchatopsrestore`;
const VNET = `${RG('rg-workloads')}/providers/Microsoft.Network/virtualNetworks/vnet-westus`;
const MY_VM = vmId('rg-workloads', 'myVM');

/** The body az CLI sends, per kind (test_backup_restore.yaml), for myVM's newest point. */
function body(kind: string, point: string, extra: Json = {}): Json {
  return {
    properties: {
      objectType: 'IaasVMRestoreRequest',
      recoveryPointId: point,
      recoveryType: kind,
      sourceResourceId: MY_VM,
      storageAccountId: STAGING,
      region: 'westus',
      createNewCloudService: false,
      originalStorageAccountOption: false,
      ...extra,
    },
  };
}

const newVm = (name: string, rg = 'rg-workloads', subnet = 'default'): Json => ({
  targetVirtualMachineId: `${RG(rg)}/providers/Microsoft.Compute/virtualMachines/${name}`,
  targetResourceGroupId: RG(rg),
  virtualNetworkId: VNET,
  subnetId: `${VNET}/subnets/${subnet}`,
});

describe('sandbox restore (POST …/recoveryPoints/{rp}/restore)', () => {
  let c: SandboxClient;
  afterEach(() => c.close());

  const open = async (timed = false) => {
    c = await openSandbox(timed ? { operationTimeScale: 1 } : {});
    const points = (await c.call('GET', `${itemPath('rg-workloads', 'myVM')}/recoveryPoints`)).body
      .value as Json[];
    return points[0].name as string;
  };
  const restore = (point: string, b: Json) =>
    c.call('POST', `${itemPath('rg-workloads', 'myVM')}/recoveryPoints/${point}/restore`, b);

  it('restores a new VM as recorded: 202 with Retry-After: 60 (PowerShell’s 2024 record), the job id is the operation id, two tasks, then the VM exists', async () => {
    const point = await open(true);
    const accepted = await restore(point, body('AlternateLocation', point, newVm('myVM-restored')));
    expect(accepted.status).toBe(202);
    expect(accepted.headers['retry-after']).toBe('60');
    expect(decodeURIComponent(String(accepted.headers['azure-asyncoperation']))).toMatch(
      /\/protectedItems\/VM;iaasvmcontainerv2;rg-workloads;myVM\/operationsStatus\/[0-9a-f-]{36}\?/,
    );
    const opId = new URL(String(accepted.headers.location)).pathname.split('/').pop();
    c.sb.clock.advance(2_000);
    const done = await c.finalStatus(accepted);
    expect(done).toMatchObject({ status: 'Succeeded', properties: { jobId: opId } });
    expect(done.startTime).toBe(done.endTime);

    const job = await c.job(opId!);
    expect(job.operation).toBe('Restore');
    expect(tasksOf(job)).toBe(
      'Transfer data from vault:InProgress, Create the restored virtual machine:NotStarted',
    );
    expect(job.extendedInfo.internalPropertyBag).toEqual({ restoreLocationType: 'AlternateLocation' });
    expect(job.extendedInfo.propertyBag).toMatchObject({
      'Job Type': 'Recover VM to an alternate location',
      'Original VM Name': 'myVM',
      'Target VM Name': 'myVM-restored',
      'Target VNet Name': 'Group rg-workloads vnet-westus',
      'Target resource group': 'rg-workloads',
    });
    expect(job.extendedInfo.propertyBag['Recovery point time ']).toMatch(
      /^\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M$/,
    );
    expect(c.sb.world.vmByName('myVM-restored')).toBeUndefined();

    c.sb.clock.advance(66_000);
    expect(tasksOf(await c.job(opId!))).toBe(
      'Transfer data from vault:Completed, Create the restored virtual machine:InProgress',
    );
    // As recorded: a new VM's job stays at 1 % while the VM is created (disks and replace go to 99 %).
    expect((await c.job(opId!)).extendedInfo.progressPercentage).toBe(1);
    c.sb.clock.advance(90_000);
    const ended = await c.job(opId!);
    expect(ended.status).toBe('Completed');
    expect(ended.duration).toBe('PT2M35S');
    // Restored into the vault's region: the Extended Zone is kept only when the request names it.
    const vm = await c.call(
      'GET',
      `${RG('rg-workloads')}/providers/Microsoft.Compute/virtualMachines/myVM-restored`,
    );
    expect(vm.status).toBe(200);
    expect(vm.body.location).toBe('westus');
    expect(vm.body.extendedLocation).toBeUndefined();
  });

  it('restores disks into a target group: one task, a managed disk and the template blobs once completed', async () => {
    const point = await open();
    const accepted = await restore(
      point,
      body('RestoreDisks', point, { targetResourceGroupId: RG('rg-chatops') }),
    );
    const jobId = (await c.finalStatus(accepted)).properties.jobId as string;
    expect((await c.job(jobId)).extendedInfo.propertyBag['Create VM Template Blob Uri']).toBeUndefined();
    c.sb.clock.advance(67_000); // the recorded instant restore of disks into a target group
    const job = await c.job(jobId);
    expect(job.status).toBe('Completed');
    expect(tasksOf(job)).toBe('Transfer data from vault:Completed');
    expect(job.extendedInfo.propertyBag).toMatchObject({
      'Job Type': 'Recover disks',
      'Target resource group': 'rg-chatops',
      'Target Storage Account Name': 'stchatopsrestore',
    });
    expect(job.extendedInfo.propertyBag['Create VM Template Blob Uri']).toMatch(
      /^https:\/\/stchatopsrestore\.blob\.core\.windows\.net\/myvm-[0-9a-f]{32}\/azuredeploy/,
    );
    expect(c.sb.world.disks).toEqual([
      expect.objectContaining({
        resourceGroup: 'rg-chatops',
        restoredBy: jobId,
        name: expect.stringMatching(/^myVM-osdisk-\d{8}-\d{6}$/),
      }),
    ]);
    const listed = (await c.call('GET', `${RG('rg-chatops')}/resources`)).body.value as Json[];
    expect(listed.map((r) => r.type)).toContain('Microsoft.Compute/disks');
  });

  it('replaces the disks of the VM in place, leaving the original disk in its group and copying the Extended Zone', async () => {
    const point = await open(true);
    const accepted = await restore(
      point,
      body('OriginalLocation', point, { extendedLocation: { type: 'EdgeZone', name: 'losangeles' } }),
    );
    c.sb.clock.advance(2_000);
    const jobId = (await c.finalStatus(accepted)).properties.jobId as string;
    const running = await c.job(jobId);
    expect(tasksOf(running)).toBe(
      'Transfer data from vault:InProgress, Update the virtual machine:NotStarted',
    );
    expect(running.extendedInfo.propertyBag).toMatchObject({
      'Job Type': 'Replace disks',
      'Target VM Name': null,
    });
    c.sb.clock.advance(25 * 60_000 + 10_000);
    const ended = await c.job(jobId);
    expect(ended.status).toBe('Completed');
    expect(ended.extendedInfo.propertyBag['Target VM Name']).toBe('myVM');
    const vm = c.sb.world.vmByName('myVM')!;
    expect(vm.osDiskName).toMatch(/^myVM-osdisk-/);
    expect(c.sb.world.disks.map((d) => [d.name, d.attachedTo ?? 'detached', d.extendedZone])).toEqual([
      ['myVM_OsDisk_1', 'detached', 'losangeles'],
      [vm.osDiskName, vm.id, 'losangeles'],
    ]);
  });

  it('refuses what Azure would: a missing point, staging account, target group or subnet, a taken name, a wrong kind', async () => {
    const point = await open();
    const refused = async (b: Json, p = point) => {
      const r = await restore(p, b);
      return [r.status, r.body?.error?.code];
    };
    expect(await refused(body('RestoreDisks', '123'), '123')).toEqual([
      404,
      'UserErrorRecoveryPointNotFound',
    ]);
    expect(await refused(body('Restore', point))).toEqual([400, 'BMSUserErrorInvalidInput']);
    expect(await refused(body('RestoreDisks', point, { storageAccountId: `${STAGING}x` }))).toEqual([
      400,
      'UserErrorStorageAccountNotFound',
    ]);
    c.sb.world.addStorageAccount('rg-eastus', 'steastus', 'eastus');
    expect(
      await refused(
        body('RestoreDisks', point, {
          storageAccountId: `${RG('rg-eastus')}/providers/Microsoft.Storage/storageAccounts/steastus`,
        }),
      ),
    ).toEqual([400, 'UserErrorStorageAccountInDifferentRegion']);
    expect(await refused(body('RestoreDisks', point, { targetResourceGroupId: RG('rg-nope') }))).toEqual([
      404,
      'ResourceGroupNotFound',
    ]);
    expect(await refused(body('AlternateLocation', point, newVm('web-linux-01')))).toEqual([
      409,
      'UserErrorTargetVmNameAlreadyExists',
    ]);
    expect(await refused(body('AlternateLocation', point, newVm('fresh', 'rg-workloads', 'nope')))).toEqual([
      400,
      'UserErrorSubnetNotFound',
    ]);
    expect(
      await refused(body('AlternateLocation', point, { targetResourceGroupId: RG('rg-workloads') })),
    ).toEqual([400, 'BMSUserErrorInvalidInput']);
    expect(await refused(body('OriginalLocation', point, { region: 'eastus' }))).toEqual([
      400,
      'BMSUserErrorInvalidInput',
    ]);
    // Nothing was started by any of them.
    expect(c.sb.world.jobs.filter((j) => j.operation === 'Restore')).toEqual([]);
  });

  it('serves the staging account and the virtual network by id, as az CLI reads them', async () => {
    await open();
    const account = await c.call('GET', STAGING, undefined);
    expect(account.body).toMatchObject({ name: 'stchatopsrestore', location: 'westus' });
    const vnet = await c.call('GET', VNET);
    expect(vnet.body.properties.subnets.map((s: Json) => s.id)).toEqual([`${VNET}/subnets/default`]);
    expect((await c.call('GET', `${VAULT}/../../../Microsoft.Storage/storageAccounts/nope`)).status).toBe(
      404,
    );
  });
});
