import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Json, SandboxClient } from './sandbox-client.js';
import { SUB, VAULT, itemPath, openSandbox, vmId } from './sandbox-client.js';

const VMS = `${SUB}/resourceGroups/rg-workloads/providers/Microsoft.Compute/virtualMachines`;

describe('sandbox Compute and resource groups', () => {
  let c: SandboxClient;
  beforeEach(async () => {
    c = await openSandbox();
  });
  afterEach(() => c.close());

  it('lists the seeded VMs with an Extended Zone VM located in its parent region', async () => {
    const r = await c.call('GET', `${SUB}/providers/Microsoft.Compute/virtualMachines`);
    const byName = new Map<string, Json>(r.body.value.map((v: Json) => [v.name, v]));
    expect([...byName.keys()].sort()).toEqual([
      'db-eastus-01',
      'ez-linux-01',
      'legacy-win-01',
      'myVM',
      'web-linux-01',
      'win-noagent-01',
    ]);
    expect(byName.get('myVM')).toMatchObject({
      type: 'Microsoft.Compute/virtualMachines',
      location: 'westus',
      extendedLocation: { type: 'EdgeZone', name: 'losangeles' },
      properties: {
        hardwareProfile: { vmSize: 'Standard_D2s_v3' },
        storageProfile: { osDisk: { osType: 'Windows' } },
        osProfile: { computerName: 'myVM' },
        provisioningState: 'Succeeded',
      },
    });
    expect(byName.get('myVM').properties.vmId).toMatch(/^[0-9a-f-]{36}$/);
    expect(byName.get('db-eastus-01')).toMatchObject({ location: 'eastus' });
    expect(byName.get('db-eastus-01').extendedLocation).toBeUndefined();
    expect(byName.get('myVM').properties.instanceView).toBeUndefined();
  });

  it("includes power states with statusOnly=true, but never the VM agent (only a VM's own instance view has it)", async () => {
    const r = await c.call('GET', `${SUB}/providers/Microsoft.Compute/virtualMachines?statusOnly=true`);
    const view = (name: string) => r.body.value.find((v: Json) => v.name === name).properties.instanceView;
    expect(view('myVM').statuses.map((s: Json) => s.code)).toEqual([
      'ProvisioningState/succeeded',
      'PowerState/running',
    ]);
    expect(view('web-linux-01').statuses[1]).toMatchObject({
      code: 'PowerState/deallocated',
      displayStatus: 'VM deallocated',
    });
    for (const vm of r.body.value) expect(vm.properties.instanceView.vmAgent).toBeUndefined();
    const own = await c.call('GET', `${VMS}/myVM/instanceView`);
    expect(own.body.vmAgent).toMatchObject({
      vmAgentVersion: '2.7.41491.1102',
      statuses: [{ code: 'ProvisioningState/succeeded', displayStatus: 'Ready' }],
    });
  });

  it('reads one VM, with $expand=instanceView, and its instance view alone', async () => {
    const plain = await c.call('GET', `${VMS}/ez-linux-01`);
    expect(plain.body.properties.instanceView).toBeUndefined();
    const expanded = await c.call('GET', `${VMS}/ez-linux-01?$expand=instanceView`);
    expect(expanded.body.properties.instanceView.osName).toBe('ubuntu');
    const view = await c.call('GET', `${VMS}/ez-linux-01/instanceView`);
    expect(view.body.vmAgent.vmAgentVersion).toBe('2.10.0.8');
    const missing = await c.call('GET', `${VMS}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ResourceNotFound');
  });

  it('creates a resource group (201, then 200), answers HEAD, and refuses another location', async () => {
    const rg = `${SUB}/resourcegroups/rg-new`;
    expect((await c.call('HEAD', rg)).status).toBe(404);
    const created = await c.call('PUT', rg, { location: 'West US 2' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'rg-new', location: 'westus2' });
    expect((await c.call('PUT', rg, { location: 'westus2' })).status).toBe(200);
    expect((await c.call('HEAD', rg)).status).toBe(204);
    const moved = await c.call('PUT', rg, { location: 'eastus' });
    expect(moved.status).toBe(409);
    expect(moved.body.error.code).toBe('InvalidResourceGroupLocation');
    expect((await c.call('PUT', rg, {})).body.error.code).toBe('LocationRequired');
    const names = (await c.call('GET', `${SUB}/resourcegroups`)).body.value.map((g: Json) => g.name);
    expect(names).toEqual(['rg-chatops', 'rg-workloads', 'rg-eastus', 'rg-new']);
  });

  it('lists the resources of a group', async () => {
    const r = await c.call('GET', `${SUB}/resourceGroups/rg-chatops/resources`);
    expect(r.body.value).toEqual([
      expect.objectContaining({
        name: 'rsv-westus',
        type: 'Microsoft.RecoveryServices/vaults',
        location: 'westus',
      }),
      // The staging account restores go through.
      expect.objectContaining({ name: 'stchatopsrestore', type: 'Microsoft.Storage/storageAccounts' }),
    ]);
    const workloads = await c.call('GET', `${SUB}/resourceGroups/rg-workloads/resources`);
    // Five VMs and the virtual network restored VMs join.
    expect(workloads.body.value).toHaveLength(6);
  });

  it('deletes a resource group with its VMs through a long-running operation (202, 202, 200)', async () => {
    const timed = await openSandbox({ operationTimeScale: 1 });
    try {
      const del = await timed.call('DELETE', `${SUB}/resourcegroups/rg-eastus`);
      expect(del.status).toBe(202);
      expect(String(del.headers.location)).toMatch(
        new RegExp(`^${timed.sb.url}/subscriptions/[^/]+/operationresults/[^?]+\\?api-version=`),
      );
      const location = String(del.headers.location);
      expect((await timed.call('GET', location)).status).toBe(202);
      expect((await timed.call('HEAD', `${SUB}/resourcegroups/rg-eastus`)).status).toBe(204); // not done yet
      timed.sb.clock.advance(60_000);
      expect((await timed.call('GET', location)).status).toBe(200);
      expect((await timed.call('HEAD', `${SUB}/resourcegroups/rg-eastus`)).status).toBe(404);
      expect(timed.sb.world.vmByName('db-eastus-01')).toBeUndefined();
    } finally {
      await timed.close();
    }
  });

  it('accepts a group whose vault holds backup data, deletes the rest, then fails on the vault, as ARM does', async () => {
    // A vault beside the VMs of rg-workloads, protecting one of them.
    c.sb.world.addVault('rg-workloads', 'rsv-local', 'westus');
    c.sb.world.policies.set(c.sb.world.policyKey('rg-workloads/rsv-local', 'Std'), {
      vaultKey: 'rg-workloads/rsv-local',
      name: 'Std',
      kind: 'Standard',
      properties: {},
    });
    const local = `${SUB}/resourceGroups/rg-workloads/providers/Microsoft.RecoveryServices/vaults/rsv-local`;
    const item = `${local}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-workloads;web-linux-01/protectedItems/VM;iaasvmcontainerv2;rg-workloads;web-linux-01`;
    await c.finalStatus(
      await c.call('PUT', item, {
        properties: {
          protectedItemType: 'Microsoft.Compute/virtualMachines',
          sourceResourceId: vmId('rg-workloads', 'web-linux-01'),
          policyId: `${local}/backupPolicies/Std`,
        },
      }),
    );
    const del = await c.call('DELETE', `${SUB}/resourcegroups/rg-workloads`);
    expect(del.status).toBe(202);
    const failed = await c.finalResult(del);
    expect(failed.status).toBe(409);
    expect(failed.body.error.code).toBe('ResourceGroupDeletionBlocked');
    expect(failed.body.error.message).toContain('/vaults/rsv-local');
    // Part-way: the VMs are gone, the vault and its group stay.
    expect([...c.sb.world.vms.values()].filter((v) => v.resourceGroup === 'rg-workloads')).toEqual([]);
    expect(c.sb.world.vaults.has('rg-workloads/rsv-local')).toBe(true);
    expect((await c.call('HEAD', `${SUB}/resourcegroups/rg-workloads`)).status).toBe(204);
  });

  it('deletes a group whose vault holds only soft-deleted data (the vault goes, as recorded)', async () => {
    await c.finalStatus(await c.call('DELETE', itemPath('rg-workloads', 'myVM')));
    expect((await c.finalResult(await c.call('DELETE', `${SUB}/resourcegroups/rg-chatops`))).status).toBe(
      200,
    );
    expect((await c.call('GET', VAULT)).body.error.code).toBe('ResourceGroupNotFound');
    expect(c.sb.world.vaults.size).toBe(0);
    expect(c.sb.world.policies.size).toBe(0);
  });
});
