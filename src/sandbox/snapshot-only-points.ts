import { badRequest, notFound } from './arm-errors.js';
import type { SandboxRecoveryPoint, SandboxWorld } from './world.js';

const DAY_MS = 86_400_000;

/**
 * Leaves a VM's newest recovery point held only as its snapshot (InstantRP), with the snapshot's
 * retention as its expiry. Real Azure showed an Enhanced (V2) point in that state ~27.5 h after it
 * was taken (PowerShell, TestAzureVMSourceScanRecoveryPoints.json, 2026); the sandbox's backups
 * otherwise land in both tiers at once, so this is how tests and demos reach such a point. Only
 * under an Enhanced policy, the one kind a record shows it for.
 */
export function makeNewestPointSnapshotOnly(world: SandboxWorld, vmName: string): SandboxRecoveryPoint {
  const vm = world.vmByName(vmName);
  if (!vm) throw notFound('ResourceNotFound', `There is no VM called ${vmName}.`);
  const sameVm = (id: string) => id.toLowerCase() === vm.id.toLowerCase();
  const item = [...world.protectedItems.values()].find((i) => sameVm(i.vmResourceId));
  if (!item) throw badRequest('InvalidInput', `${vm.name} is not protected.`);
  const policy = world.policies.get(world.policyKey(item.vaultKey, item.policyName));
  if (policy?.properties.policyType !== 'V2') {
    throw badRequest('InvalidInput', `${vm.name} is not protected by an Enhanced (V2) policy.`);
  }
  const [point] = world.recoveryPoints
    .filter((p) => p.vaultKey === item.vaultKey && sameVm(p.vmResourceId))
    .sort((a, b) => b.time.localeCompare(a.time));
  if (!point) throw badRequest('InvalidInput', `${vm.name} has no recovery point yet.`);
  const days = Number(policy.properties.instantRpRetentionRangeInDays ?? 2);
  point.snapshotOnly = true;
  point.expiry = new Date(Date.parse(point.time) + days * DAY_MS).toISOString();
  return point;
}
