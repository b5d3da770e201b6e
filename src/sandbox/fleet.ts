import { randomUUID } from 'node:crypto';
import { SANDBOX_VAULT_NAME, SANDBOX_VAULT_RESOURCE_GROUP } from './seed-ids.js';
import type { SandboxVm, SandboxWorld } from './world.js';
import { containerNameOf, itemNameOf } from './protection-json.js';

export interface FleetSpec {
  /** VMs are named `<prefix>-<n>`; new vaults `rsv-<prefix>-<n>`, all in `rg-<prefix>`. */
  prefix: string;
  vms: number;
  /** How many new vaults share the VMs (round robin); 0 puts them all in the seeded default vault. */
  vaults?: number;
}

/** One VM of a fleet and the vault that protects it. */
export interface FleetVm {
  vm: string;
  vault: string;
  resourceGroup: string;
}

const MAX_FLEET = 5_000;

/**
 * Adds running Linux VMs in the parent region, each already protected with EnhancedPolicy, straight
 * into the world: for benchmarks and load tests that need many backups at once (a VM takes one
 * snapshot at a time, so many jobs need many VMs). New vaults get a copy of the seeded
 * EnhancedPolicy.
 */
export function addFleet(world: SandboxWorld, spec: FleetSpec): FleetVm[] {
  if (!/^[a-z][a-z0-9-]{0,30}$/i.test(spec.prefix))
    throw new Error('A fleet prefix is letters, digits and -.');
  if (!Number.isInteger(spec.vms) || spec.vms < 1 || spec.vms > MAX_FLEET)
    throw new Error(`A fleet has 1 to ${MAX_FLEET} VMs.`);
  const vaultCount = spec.vaults ?? 0;
  if (!Number.isInteger(vaultCount) || vaultCount < 0 || vaultCount > 100)
    throw new Error('A fleet has 0 to 100 vaults of its own.');
  const location = 'westus';
  const rg = `rg-${spec.prefix}`;
  world.resourceGroups.set(rg.toLowerCase(), { name: rg, location });
  const seededKey = world.vaultKey(SANDBOX_VAULT_RESOURCE_GROUP, SANDBOX_VAULT_NAME);
  const enhanced = world.policies.get(world.policyKey(seededKey, 'EnhancedPolicy'));
  if (!enhanced) throw new Error('The seeded vault has no EnhancedPolicy to copy.');
  const vaults =
    vaultCount === 0
      ? [{ name: SANDBOX_VAULT_NAME, resourceGroup: SANDBOX_VAULT_RESOURCE_GROUP }]
      : Array.from({ length: vaultCount }, (_, v) => {
          const vault = world.addVault(rg, `rsv-${spec.prefix}-${v}`, location);
          const vaultKey = world.vaultKey(rg, vault.name);
          world.policies.set(world.policyKey(vaultKey, 'EnhancedPolicy'), { ...enhanced, vaultKey });
          return { name: vault.name, resourceGroup: rg };
        });
  return Array.from({ length: spec.vms }, (_, i) => {
    const target = vaults[i % vaults.length]!;
    const vaultKey = world.vaultKey(target.resourceGroup, target.name);
    const vm = addRunningLinuxVm(world, {
      vmId: randomUUID(),
      name: `${spec.prefix}-${i}`,
      resourceGroup: rg,
      location,
    });
    world.protectedItems.set(world.itemKey(vaultKey, vm.id), {
      vaultKey,
      vmResourceId: vm.id,
      vmName: vm.name,
      resourceGroup: rg,
      containerName: containerNameOf(rg, vm.name),
      itemName: itemNameOf(rg, vm.name),
      policyName: 'EnhancedPolicy',
      state: 'Protected',
      protectedItemDataId: String(100_000 + world.protectedItems.size),
    });
    return { vm: vm.name, vault: target.name, resourceGroup: target.resourceGroup };
  });
}

/**
 * A running Ubuntu VM with a current VM agent, already discovered by Backup (as after a container
 * refresh): the plainest VM a vault can protect.
 */
export function addRunningLinuxVm(
  world: SandboxWorld,
  vm: { vmId: string; name: string; resourceGroup: string; location: string },
): SandboxVm {
  const added = world.addVm({
    ...vm,
    osType: 'Linux',
    osName: 'ubuntu',
    osVersion: '22.04',
    vmSize: 'Standard_B2s',
    powerState: 'running',
    agentVersion: '2.10.0.8',
  });
  world.discovered.add(added.id.toLowerCase());
  return added;
}
