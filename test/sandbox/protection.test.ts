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
      // As recorded: the id ends with the protected item's name (`vm;…`), the name does not.
      id: `${c.sb.world.vaults.get('rg-chatops/rsv-westus')!.id}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-workloads;web-linux-01/protectableItems/vm;iaasvmcontainerv2;rg-workloads;web-linux-01`,
      name: 'iaasvmcontainerv2;rg-workloads;web-linux-01',
      type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectableItems',
      properties: {
        virtualMachineId: vmId('rg-workloads', 'web-linux-01'),
        virtualMachineVersion: 'Compute',
        resourceGroup: 'rg-workloads',
        backupManagementType: 'AzureIaasVM',
        protectableItemType: 'Microsoft.Compute/virtualMachines',
        friendlyName: 'web-linux-01',
        protectionState: 'NotProtected',
      },
    });
  });

  it('refuses to protect a VM by the protectable item’s name (it is not the item’s name)', async () => {
    const vault = c.sb.world.vaults.get('rg-chatops/rsv-westus')!.id;
    const r = await c.call(
      'PUT',
      `${vault}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-workloads;web-linux-01/protectedItems/iaasvmcontainerv2;rg-workloads;web-linux-01`,
      {
        properties: {
          protectedItemType: 'Microsoft.Compute/virtualMachines',
          sourceResourceId: vmId('rg-workloads', 'web-linux-01'),
          policyId: `${vault}/backupPolicies/DefaultPolicy`,
        },
      },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('VM;iaasvmcontainerv2;rg-workloads;web-linux-01');
  });

  it('discovers ez-linux-01 about 11 s after a container refresh, polled or not (202, 202, 204)', async () => {
    const timed = await openSandbox({ operationTimeScale: 1 });
    try {
      expect(await protectable(timed)).not.toContain('ez-linux-01');
      const refresh = await timed.call('POST', `${VAULT}/backupFabrics/Azure/refreshContainers`);
      expect(refresh.status).toBe(202);
      // As recorded: both headers, the async one on its own api-version, and no Retry-After.
      expect(String(refresh.headers['azure-asyncoperation'])).toMatch(
        /\/backupFabrics\/Azure\/operationsStatus\/[^?]+\?api-version=2019-05-13-preview$/,
      );
      const location = String(refresh.headers.location);
      expect(location).toContain('/backupFabrics/Azure/operationResults/');
      expect(refresh.headers['retry-after']).toBeUndefined();
      expect((await timed.call('GET', location)).status).toBe(202);
      timed.sb.clock.advance(10_000);
      expect(await protectable(timed)).not.toContain('ez-linux-01');
      // Nobody polls now: the refresh still finishes on time.
      timed.sb.clock.advance(1_000);
      expect(await protectable(timed)).toContain('ez-linux-01');
      expect((await timed.call('GET', location)).status).toBe(204);
    } finally {
      await timed.close();
    }
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

  it('enables protection in the recorded ~92 s: IRPending, no backup yet, a ConfigureBackup job without tasks', async () => {
    const timed = await openSandbox({ operationTimeScale: 1 });
    try {
      const started = timed.sb.clock.now().getTime();
      const accepted = await timed.enable('rg-workloads', 'web-linux-01', 'DefaultPolicy');
      expect(accepted.status).toBe(202);
      expect(String(accepted.headers['azure-asyncoperation'])).toContain('/operationsStatus/');
      expect(String(accepted.headers.location)).toContain('/operationResults/');
      // Retry-After: 60 as Azure PowerShell recorded it; retry-after-ms the same wait on this clock.
      expect(accepted.headers['retry-after']).toBe('60');
      const status = () => timed.call('GET', String(accepted.headers['azure-asyncoperation']));
      expect((await status()).body).toEqual({
        id: expect.any(String),
        name: expect.any(String),
        status: 'InProgress',
        startTime: new Date(started).toISOString(),
        endTime: '0001-01-01T00:00:00',
      });
      timed.sb.clock.advance(91_000);
      expect((await status()).body.status).toBe('InProgress');
      timed.sb.clock.advance(1_000);
      const done = (await status()).body;
      expect(done).toMatchObject({
        status: 'Succeeded',
        // As recorded: the end time says the start.
        endTime: new Date(started).toISOString(),
        properties: { objectType: 'OperationStatusJobExtendedInfo' },
      });
      const job = await timed.job(done.properties.jobId);
      expect(job).toMatchObject({
        operation: 'ConfigureBackup',
        status: 'Completed',
        duration: 'PT1M32S',
        entityFriendlyName: 'web-linux-01',
        extendedInfo: {
          tasksList: [],
          propertyBag: { 'VM Name': 'web-linux-01', 'Policy Name': 'DefaultPolicy' },
        },
      });
      const item = await timed.call('GET', itemPath('rg-workloads', 'web-linux-01'));
      expect(item.body.properties).toMatchObject({
        friendlyName: 'web-linux-01',
        protectedItemType: 'Microsoft.Compute/virtualMachines',
        sourceResourceId: vmId('rg-workloads', 'web-linux-01'),
        virtualMachineId: vmId('rg-workloads', 'web-linux-01'),
        policyId: `${timed.sb.world.vaults.get('rg-chatops/rsv-westus')!.id}/backupPolicies/DefaultPolicy`,
        policyName: 'DefaultPolicy',
        protectionState: 'IRPending',
        lastBackupStatus: '',
        lastBackupTime: '2001-01-01T00:00:00Z',
        containerName: 'iaasvmcontainerv2;rg-workloads;web-linux-01',
      });
      expect(item.body.properties).not.toHaveProperty('lastRecoveryPoint');
      expect(await protectable(timed)).not.toContain('web-linux-01');
      const policy = (await timed.call('GET', `${VAULT}/backupPolicies/DefaultPolicy`)).body.properties;
      expect(policy.protectedItemsCount).toBe(1);
      // The first backup makes it Protected.
      const backup = await timed.finalStatus(await timed.trigger('web-linux-01'));
      timed.sb.clock.advance(60 * 60_000);
      expect((await timed.job(backup.properties.jobId)).status).toBe('Completed');
      const after = (await timed.call('GET', itemPath('rg-workloads', 'web-linux-01'))).body.properties;
      expect(after).toMatchObject({ protectionState: 'Protected', lastBackupStatus: 'Completed' });
    } finally {
      await timed.close();
    }
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
      name: 'VM;iaasvmcontainerv2;rg-workloads;myvm',
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
        policyId: '',
        protectionState: 'ProtectionStopped',
      },
    });
    const done = await c.finalStatus(stop);
    expect((await c.job(done.properties.jobId)).operation).toBe('DisableBackup');
    const item = (await c.call('GET', itemPath('rg-workloads', 'myVM'))).body.properties;
    expect(item).toMatchObject({ protectionState: 'ProtectionStopped', policyId: '', policyName: '' });
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

  it('soft-deletes: the item stays 14 days, ProtectionStopped with its points, and can be undeleted', async () => {
    const del = await c.call('DELETE', itemPath('rg-workloads', 'myVM'));
    expect(del.status).toBe(202);
    expect(String(del.headers['azure-asyncoperation'])).toContain('/vaults/rsv-westus/backupOperations/');
    expect(String(del.headers.location)).toContain('/vaults/rsv-westus/backupOperationResults/');
    const deletedAt = c.sb.clock.now().toISOString();
    const status = await c.finalStatus(del);
    expect(status.status).toBe('Succeeded');
    expect((await c.job(status.properties.jobId)).operation).toBe('DeleteBackupData');
    const item = (await c.call('GET', itemPath('rg-workloads', 'myVM'))).body.properties;
    expect(item).toMatchObject({
      protectionState: 'ProtectionStopped',
      isScheduledForDeferredDelete: true,
      deferredDeleteTimeInUTC: deletedAt,
      deferredDeleteTimeRemaining: '14.00:00:00.0000000',
      softDeleteRetentionPeriod: 14,
      policyId: '',
      policyName: '',
    });
    const points = () => c.call('GET', `${itemPath('rg-workloads', 'myVM')}/recoveryPoints`);
    expect((await points()).body.value).toHaveLength(2);
    // Not protectable again, nor deletable again, until undeleted.
    const enable = await c.enable('rg-workloads', 'myVM', 'EnhancedPolicy');
    expect(enable.status).toBe(400);
    expect(enable.body.error.message).toContain('soft-deleted');
    const undelete = await c.call('PUT', itemPath('rg-workloads', 'myVM'), {
      properties: {
        protectedItemType: 'Microsoft.Compute/virtualMachines',
        sourceResourceId: vmId('rg-workloads', 'myVM'),
        policyId: '',
        isRehydrate: true,
        protectionState: 'ProtectionStopped',
      },
    });
    const undone = await c.finalStatus(undelete);
    expect(await c.job(undone.properties.jobId)).toMatchObject({
      operation: 'Undelete',
      extendedInfo: { propertyBag: { 'Undelete flag': 'True' } },
    });
    const back = (await c.call('GET', itemPath('rg-workloads', 'myVM'))).body.properties;
    expect(back).toMatchObject({ protectionState: 'ProtectionStopped', softDeleteRetentionPeriod: 0 });
    expect(back).not.toHaveProperty('isScheduledForDeferredDelete');
    expect((await c.finalStatus(await c.enable('rg-workloads', 'myVM', 'EnhancedPolicy'))).status).toBe(
      'Succeeded',
    );
  });

  it('purges soft-deleted data after 14 days; without soft delete it goes at once', async () => {
    await c.finalStatus(await c.call('DELETE', itemPath('rg-workloads', 'myVM')));
    c.sb.clock.advance(14 * 86_400_000 - 1000);
    expect((await c.call('GET', itemPath('rg-workloads', 'myVM'))).status).toBe(200);
    c.sb.clock.advance(1000);
    expect((await c.call('GET', itemPath('rg-workloads', 'myVM'))).status).toBe(404);
    expect(c.sb.world.recoveryPoints).toHaveLength(0);
    expect(await protectable(c)).toContain('myVM');
  });

  it('deletes the data for good when the vault has soft delete off', async () => {
    c.sb.world.vaults.get('rg-chatops/rsv-westus')!.softDelete = false;
    const del = await c.call('DELETE', itemPath('rg-workloads', 'myVM'));
    const status = await c.finalStatus(del);
    expect((await c.call('GET', String(del.headers.location))).status).toBe(204);
    expect((await c.job(status.properties.jobId)).extendedInfo.propertyBag['Number of Recovery Points']).toBe(
      '2',
    );
    expect((await c.call('GET', itemPath('rg-workloads', 'myVM'))).status).toBe(404);
    expect(c.sb.world.recoveryPoints).toHaveLength(0);
  });

  it('keeps soft-deleted data for the vault’s retention (30 days here), as the item and the vault say', async () => {
    const vault = c.sb.world.vaults.get('rg-chatops/rsv-westus')!;
    vault.softDeleteRetentionDays = 30;
    const settings = (await c.call('GET', VAULT)).body.properties.securitySettings.softDeleteSettings;
    expect(settings.softDeleteRetentionPeriodInDays).toBe(30);
    await c.finalStatus(await c.call('DELETE', itemPath('rg-workloads', 'myVM')));
    const item = (await c.call('GET', itemPath('rg-workloads', 'myVM'))).body.properties;
    expect(item).toMatchObject({
      softDeleteRetentionPeriod: 30,
      deferredDeleteTimeRemaining: '30.00:00:00.0000000',
    });
    c.sb.clock.advance(29 * 86_400_000);
    expect((await c.call('GET', itemPath('rg-workloads', 'myVM'))).status).toBe(200);
    c.sb.clock.advance(86_400_000);
    expect((await c.call('GET', itemPath('rg-workloads', 'myVM'))).status).toBe(404);
  });

  it('sets a vault’s soft-delete retention within 14–180 days', async () => {
    const put = (days: number) =>
      c.call('PUT', VAULT, {
        location: 'westus',
        properties: { securitySettings: { softDeleteSettings: { softDeleteRetentionPeriodInDays: days } } },
      });
    expect((await put(180)).status).toBe(200);
    expect(c.sb.world.vaults.get('rg-chatops/rsv-westus')!.softDeleteRetentionDays).toBe(180);
    expect((await put(13)).status).toBe(400);
    expect((await put(181)).status).toBe(400);
  });
});

describe('Retry-After on item operations', () => {
  it('says 60 s as recorded, and the same wait in real time on a running clock', async () => {
    // 600 simulated seconds a second: Azure's 60 s are 100 ms here.
    const fast = await openSandbox({ clockSpeed: 600, operationTimeScale: 1 });
    try {
      const accepted = await fast.enable('rg-workloads', 'web-linux-01', 'DefaultPolicy');
      expect(accepted.headers).toMatchObject({ 'retry-after': '60', 'retry-after-ms': '100' });
      const backup = await fast.trigger('myVM');
      expect(backup.headers).toMatchObject({ 'retry-after': '60', 'retry-after-ms': '100' });
      const del = await fast.call('DELETE', itemPath('rg-workloads', 'myVM'));
      expect(del.headers).toMatchObject({ 'retry-after': '60', 'retry-after-ms': '100' });
    } finally {
      await fast.close();
    }
  });
});
