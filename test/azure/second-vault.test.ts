import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { addRunningLinuxVm } from '../../src/sandbox/fleet.js';
import { visibleText } from '../cards/card-actions.js';
import type { Harness } from './service-harness.js';
import { startHarness } from './service-harness.js';

/**
 * A VM stopped with its data kept in one vault can be protected in another vault of its region:
 * Azure accepted it in Azure PowerShell's 2025 record (TestAzureVMRedoProtection.json: stop with
 * retain in one vault, PUT in the other, 202 -> Succeeded, ConfigureBackup Completed).
 */
describe('protecting a VM in a second vault after stopping it with its data kept', () => {
  let h: Harness;
  const second = { vault: 'rsv-west2', resourceGroup: 'rg-chatops' };
  beforeAll(async () => {
    h = await startHarness();
    await h.service.createVault({
      name: second.vault,
      location: 'westus',
      resourceGroup: second.resourceGroup,
    });
    // The new vault gets the first vault's Enhanced policy, as the portal offers it to a new vault.
    const w = h.sandbox.world;
    const key = w.vaultKey(second.resourceGroup, second.vault);
    const enhanced = w.policies.get(w.policyKey(w.vaultKey('rg-chatops', 'rsv-westus'), 'EnhancedPolicy'))!;
    w.policies.set(w.policyKey(key, 'EnhancedPolicy'), { ...structuredClone(enhanced), vaultKey: key });
  });
  afterAll(() => h.close());

  it('is refused while the first vault still protects it: the second vault cannot see it', async () => {
    await expect(
      h.service.enableProtection({ vm: 'myVM', policy: 'EnhancedPolicy', ...second }),
    ).rejects.toMatchObject({
      code: 'validation.vm_not_discoverable',
    });
  });

  it('is accepted once it is stopped there with its data kept; each vault shows its own state', async () => {
    await h.service.stopProtection({ vm: 'myVM', deleteData: false });
    const before = await h.service.listVms(second);
    const vm = before.vms.find((v) => v.name === 'myVM')!;
    expect(vm.protection.state).toBe('NotProtected');
    expect(vm.eligibility).toMatchObject({ eligible: true });

    const r = await h.service.enableProtection({ vm: 'myVM', policy: 'EnhancedPolicy', ...second });
    expect(r.jobId).toBeTruthy();
    expect(r.vm.protection).toMatchObject({
      state: 'IRPending',
      vaultName: second.vault,
      policyName: 'EnhancedPolicy',
    });
    const job = h.sandbox.world.jobs.find((j) => j.id === r.jobId)!;
    expect(job.operation).toBe('ConfigureBackup');

    // The first vault keeps the stopped item and its points.
    const first = await h.service.getVm('myVM');
    expect(first.protection).toMatchObject({ state: 'ProtectionStopped', vaultName: 'rsv-westus' });
    expect((await h.service.listRecoveryPoints('myVM')).length).toBeGreaterThan(0);
    const { vault, vms } = await h.service.listVms(second);
    const text = visibleText(renderAdaptiveCard({ kind: 'vm-list', vault, vms }));
    expect(text).toContain('myVM');
    expect(text).toContain('first backup pending');
  });

  it('protects, backs up and stops a VM whose name and resource group are mixed case, as Azure lower-cases their item names', async () => {
    const w = h.sandbox.world;
    w.resourceGroups.set('rg-mixed', { name: 'RG-Mixed', location: 'westus' });
    addRunningLinuxVm(w, {
      vmId: 'c0ffee',
      name: 'AppVM01',
      resourceGroup: 'RG-Mixed',
      location: 'westus',
    });
    const r = await h.service.enableProtection({ vm: 'AppVM01', policy: 'DefaultPolicy' });
    expect(r.vm.protection.state).toBe('IRPending');
    const item = [...w.protectedItems.values()].find((i) => i.vmName === 'AppVM01')!;
    expect(item.itemName).toBe('VM;iaasvmcontainerv2;rg-mixed;appvm01');
    const backup = await h.service.backupNow({ vm: 'AppVM01' });
    expect(backup.job.vmName).toBe('AppVM01');
    const stopped = await h.service.stopProtection({ vm: 'AppVM01', deleteData: false });
    expect(stopped).toMatchObject({ vmName: 'AppVM01', deletedData: false });
    expect((await h.service.getVm('AppVM01')).protection.state).toBe('ProtectionStopped');
  });
});
