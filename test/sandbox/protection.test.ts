import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Json, SandboxClient } from './sandbox-client.js';
import { VAULT, itemPath, openSandbox, vmId } from './sandbox-client.js';

const protectable = async (c: SandboxClient): Promise<string[]> =>
  (
    await c.call(
      'GET',
      `${VAULT}/backupProtectableItems?$filter=${encodeURIComponent("backupManagementType eq 'AzureIaasVM'")}`,
    )
  ).body.value.map((x: Json) => x.properties.friendlyName);

describe('sandbox discovery and protection', () => {
  let c: SandboxClient;
  beforeEach(async () => {
    c = await openSandbox();
  });
  afterEach(() => c.close());

  it('lists discovered, unprotected VMs of the vault region as protectable items', async () => {
    const r = await c.call(
      'GET',
      `${VAULT}/backupProtectableItems?$filter=${encodeURIComponent("backupManagementType eq 'AzureIaasVM'")}`,
    );
    expect((await protectable(c)).sort()).toEqual(['legacy-win-01', 'web-linux-01', 'win-noagent-01']);
    expect(r.body.value.find((x: Json) => x.properties.friendlyName === 'web-linux-01')).toEqual({
      id: `${c.sb.world.vaults.get('rg-chatops/rsv-westus')!.id}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-workloads;web-linux-01/protectableItems/VM;iaasvmcontainerv2;rg-workloads;web-linux-01`,
      name: 'VM;iaasvmcontainerv2;rg-workloads;web-linux-01',
      type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectableItems',
      properties: {
        friendlyName: 'web-linux-01',
        virtualMachineId: vmId('rg-workloads', 'web-linux-01'),
        protectionState: 'NotProtected',
        protectableItemType: 'Microsoft.Compute/virtualMachines',
        backupManagementType: 'AzureIaasVM',
        workloadType: 'VM',
      },
    });
  });

  it('discovers ez-linux-01 only once a container refresh has finished (202, then 204)', async () => {
    expect(await protectable(c)).not.toContain('ez-linux-01');
    const refresh = await c.call('POST', `${VAULT}/backupFabrics/Azure/refreshContainers`);
    expect(refresh.status).toBe(202);
    const location = String(refresh.headers.location);
    expect(location).toContain('/backupFabrics/Azure/operationResults/');
    expect((await c.call('GET', location)).status).toBe(202);
    expect(await protectable(c)).not.toContain('ez-linux-01');
    expect((await c.call('GET', location)).status).toBe(204);
    expect(await protectable(c)).toContain('ez-linux-01');
  });

  it('refuses to protect a VM Azure Backup has not discovered yet', async () => {
    const r = await c.enable('rg-workloads', 'ez-linux-01', 'EnhancedPolicy');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BMSUserErrorContainerObjectNotFound');
    expect(r.body.error.message).toContain('refresh');
  });

  it('refuses a standard policy for an Extended Zone VM', async () => {
    await c.refresh();
    const r = await c.enable('rg-workloads', 'ez-linux-01', 'DefaultPolicy');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BMSUserErrorEdgeZoneVMRequiresEnhancedPolicy');
    expect(r.body.error.message).toContain('only Enhanced policies');
    expect(c.sb.world.protectedItems.size).toBe(1);
  });

  it('refuses a VM of another region, and one that does not exist', async () => {
    const east = await c.enable('rg-eastus', 'db-eastus-01', 'DefaultPolicy');
    expect(east.status).toBe(400);
    expect(east.body.error.code).toBe('BMSUserErrorVMNotInVaultRegion');
    expect(east.body.error.message).toContain('eastus');
    const ghost = await c.enable('rg-workloads', 'ghost-01', 'DefaultPolicy');
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.code).toBe('BMSUserErrorVmNotFound');
    const noPolicy = await c.enable('rg-workloads', 'web-linux-01', 'NoSuchPolicy');
    expect(noPolicy.status).toBe(400);
    expect(noPolicy.body.error.code).toBe('BMSUserErrorPolicyNotFound');
  });

  it('enables protection through an operation whose job is a ConfigureBackup without phases', async () => {
    const accepted = await c.enable('rg-workloads', 'web-linux-01', 'DefaultPolicy');
    expect(accepted.status).toBe(202);
    expect(String(accepted.headers['azure-asyncoperation'])).toContain('/operationsStatus/');
    expect(String(accepted.headers.location)).toContain('/operationResults/');
    const first = await c.call('GET', String(accepted.headers['azure-asyncoperation']));
    expect(first.body).toMatchObject({ status: 'InProgress', endTime: '0001-01-01T00:00:00.00000Z' });
    const done = await c.finalStatus(accepted);
    expect(done).toMatchObject({
      status: 'Succeeded',
      properties: { objectType: 'OperationStatusJobExtendedInfo' },
    });
    const result = await c.call('GET', String(accepted.headers.location));
    expect(result.status).toBe(200);
    expect(result.body.properties).toMatchObject({ protectionState: 'Protected', policyType: 'V1' });

    const job = await c.job(done.properties.jobId);
    expect(job).toMatchObject({
      operation: 'ConfigureBackup',
      status: 'InProgress',
      entityFriendlyName: 'web-linux-01',
    });
    expect(job.extendedInfo.tasksList).toBeUndefined();
    c.sb.clock.advance(30_000);
    expect((await c.job(done.properties.jobId)).status).toBe('Completed');

    const item = await c.call('GET', itemPath('rg-workloads', 'web-linux-01'));
    expect(item.body.properties).toMatchObject({
      friendlyName: 'web-linux-01',
      protectedItemType: 'Microsoft.Compute/virtualMachines',
      sourceResourceId: vmId('rg-workloads', 'web-linux-01'),
      virtualMachineId: vmId('rg-workloads', 'web-linux-01'),
      policyId: `${c.sb.world.vaults.get('rg-chatops/rsv-westus')!.id}/backupPolicies/DefaultPolicy`,
      protectionState: 'Protected',
      containerName: 'iaasvmcontainerv2;rg-workloads;web-linux-01',
      lastRecoveryPoint: null,
    });
    expect(await protectable(c)).not.toContain('web-linux-01');
    const policies = (await c.call('GET', `${VAULT}/backupPolicies/DefaultPolicy`)).body.properties;
    expect(policies.protectedItemsCount).toBe(1);
  });

  it('refuses to move a VM from an Enhanced policy to a standard one', async () => {
    expect(
      (await c.finalStatus(await c.enable('rg-workloads', 'web-linux-01', 'EnhancedPolicy'))).status,
    ).toBe('Succeeded');
    const r = await c.enable('rg-workloads', 'web-linux-01', 'DefaultPolicy');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BMSUserErrorPolicyTypeDowngradeNotAllowed');
  });

  it('reads the protected item of the seeded VM, with its last backup and recovery point', async () => {
    const r = await c.call('GET', itemPath('rg-workloads', 'myVM'));
    expect(r.body).toMatchObject({
      name: 'VM;iaasvmcontainerv2;rg-workloads;myVM',
      type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems',
      properties: { policyType: 'V2', lastBackupStatus: 'Completed', healthStatus: 'Passed' },
    });
    expect(Date.parse(r.body.properties.lastRecoveryPoint)).toBeLessThan(c.sb.clock.now().getTime());
    const list = await c.call(
      'GET',
      `${VAULT}/backupProtectedItems?$filter=${encodeURIComponent("backupManagementType eq 'AzureIaasVM' and itemType eq 'VM'")}`,
    );
    expect(list.body.value.map((i: Json) => i.properties.friendlyName)).toEqual(['myVM']);
    const bad = await c.call(
      'GET',
      `${VAULT}/backupProtectedItems?$filter=${encodeURIComponent("vmName eq 'x'")}`,
    );
    expect(bad.status).toBe(400);
  });

  it('stops protection keeping the data, after which a backup is refused and the data stays', async () => {
    const stop = await c.call('PUT', itemPath('rg-workloads', 'myVM'), {
      properties: {
        protectedItemType: 'Microsoft.Compute/virtualMachines',
        sourceResourceId: vmId('rg-workloads', 'myVM'),
        protectionState: 'ProtectionStopped',
      },
    });
    const done = await c.finalStatus(stop);
    expect((await c.job(done.properties.jobId)).operation).toBe('DisableBackup');
    const item = (await c.call('GET', itemPath('rg-workloads', 'myVM'))).body.properties;
    expect(item).toMatchObject({ protectionState: 'ProtectionStopped', policyId: '' });
    const refused = await c.trigger();
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('BMSUserErrorProtectionStopped');
    expect(
      (await c.call('GET', `${itemPath('rg-workloads', 'myVM')}/recoveryPoints`)).body.value,
    ).toHaveLength(2);
    // Resuming with an Enhanced policy protects it again.
    expect((await c.finalStatus(await c.enable('rg-workloads', 'myVM', 'EnhancedPolicy'))).status).toBe(
      'Succeeded',
    );
  });

  it('stops protection and deletes the data through the vault operation URLs', async () => {
    const del = await c.call('DELETE', itemPath('rg-workloads', 'myVM'));
    expect(del.status).toBe(202);
    expect(String(del.headers['azure-asyncoperation'])).toContain('/vaults/rsv-westus/backupOperations/');
    expect(String(del.headers.location)).toContain('/vaults/rsv-westus/backupOperationResults/');
    const status = await c.finalStatus(del);
    expect(status.status).toBe('Succeeded');
    expect((await c.call('GET', String(del.headers.location))).status).toBe(204);
    expect((await c.job(status.properties.jobId)).operation).toBe('DeleteBackupData');
    expect((await c.call('GET', itemPath('rg-workloads', 'myVM'))).status).toBe(404);
    expect(c.sb.world.recoveryPoints).toHaveLength(0);
    expect(await protectable(c)).toContain('myVM');
  });
});
