import { randomUUID } from 'node:crypto';
import { SANDBOX_VAULT_NAME, SANDBOX_VAULT_RESOURCE_GROUP } from '../../src/sandbox/seed-ids.js';
import type { Sandbox } from '../../src/sandbox/server.js';

/**
 * Adds `count` running Linux VMs named `${prefix}-0…`, already protected by the default vault with
 * EnhancedPolicy, straight into the sandbox's world (as the watcher bench does): tests that need
 * many backups at once need many VMs, since a VM takes one snapshot at a time.
 */
export function addProtectedVms(sandbox: Sandbox, prefix: string, count: number): string[] {
  const { world } = sandbox;
  const rg = 'rg-fleet';
  world.resourceGroups.set(rg, { name: rg, location: 'westus' });
  const vaultKey = world.vaultKey(SANDBOX_VAULT_RESOURCE_GROUP, SANDBOX_VAULT_NAME);
  return Array.from({ length: count }, (_, i) => {
    const vm = world.addVm({
      vmId: randomUUID(),
      name: `${prefix}-${i}`,
      resourceGroup: rg,
      location: 'westus',
      osType: 'Linux',
      osName: 'ubuntu',
      osVersion: '22.04',
      vmSize: 'Standard_B2s',
      powerState: 'running',
      agentVersion: '2.10.0.8',
    });
    world.discovered.add(vm.id.toLowerCase());
    world.protectedItems.set(world.itemKey(vaultKey, vm.id), {
      vaultKey,
      vmResourceId: vm.id,
      vmName: vm.name,
      resourceGroup: rg,
      containerName: `IaasVMContainer;iaasvmcontainerv2;${rg};${vm.name}`,
      itemName: `VM;iaasvmcontainerv2;${rg};${vm.name}`,
      policyName: 'EnhancedPolicy',
      state: 'Protected',
      protectedItemDataId: String(1000 + i),
    });
    return vm.name;
  });
}

/** Backup-trigger POSTs the sandbox accepted (202), per VM name (lower case). */
export function acceptedTriggers(sandbox: Sandbox): Map<string, number> {
  const byVm = new Map<string, number>();
  for (const r of sandbox.requestLog) {
    const m = /\/protectedItems\/VM;iaasvmcontainerv2;[^;/]+;([^/]+)\/backup$/i.exec(
      decodeURIComponent(r.path),
    );
    if (r.method !== 'POST' || !m || r.status !== 202) continue;
    const vm = m[1]!.toLowerCase();
    byVm.set(vm, (byVm.get(vm) ?? 0) + 1);
  }
  return byVm;
}

/** Backup jobs the sandbox started from a request (user-triggered), per VM name (lower case). */
export function startedBackups(sandbox: Sandbox): Map<string, number> {
  const byVm = new Map<string, number>();
  for (const j of sandbox.world.jobs) {
    if (j.operation !== 'Backup' || !j.isUserTriggered) continue;
    byVm.set(j.vmName.toLowerCase(), (byVm.get(j.vmName.toLowerCase()) ?? 0) + 1);
  }
  return byVm;
}
