import { badRequest } from '../arm-errors.js';
import type { ArmRequest, ArmRouter } from '../arm-router.js';
import { parseEqFilter } from '../odata-filter.js';
import { containerNameOf, itemJson, itemNameOf, recoveryPointJson } from '../protection-json.js';
import { ITEM, VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxPolicy, SandboxProtectedItem, SandboxVault, SandboxVm } from '../world.js';
import { acceptedForItem, itemNotFound, propertiesOf, requireFabric, requireItem } from './item-requests.js';
import { acceptedHeaders, requireVault } from './lookups.js';

type Json = Record<string, unknown>;

/**
 * Protected items of a vault: list, read, enable / change policy / stop keeping data (PUT), stop
 * and delete data (DELETE), recovery points. Azure Backup's rules are enforced here too (DESIGN.md
 * section 3): the bot is never the only guard.
 */
export function addProtectionRoutes(router: ArmRouter, ctx: SandboxContext): void {
  const { world } = ctx;

  router.add('GET', `${VAULT}/backupProtectedItems`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const filter = parseEqFilter(req.url.searchParams.get('$filter'), [
      'backupManagementType',
      'itemType',
      'policyName',
      'protectionState',
    ]);
    const value = [...world.protectedItems.values()]
      .filter((i) => i.vaultKey === key && matchesItemFilter(i, filter))
      .map((i) => itemJson(ctx, vault, i));
    return { status: 200, body: { value } };
  });

  router.add('GET', ITEM, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    return { status: 200, body: itemJson(ctx, vault, requireItem(ctx, key, req.params)) };
  });

  router.add('PUT', ITEM, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    requireFabric(req.params);
    const props = propertiesOf(req.body);
    const existing = world.findItem(key, req.params.containerName!, req.params.protectedItemName!);
    if (props.protectionState === 'ProtectionStopped') {
      if (!existing) throw itemNotFound(req.params.protectedItemName!);
      existing.state = 'ProtectionStopped';
      const job = ctx.engine.startShortJob('DisableBackup', key, {
        name: existing.vmName,
        id: existing.vmResourceId,
      });
      return acceptedForItem(ctx, req, { jobId: job.id });
    }
    const { vm, policy } = checkEnable(ctx, req, vault, key, props, existing);
    if (existing) {
      existing.policyName = policy.name;
      existing.state = 'Protected';
    } else {
      world.protectedItems.set(world.itemKey(key, vm.id), newItem(key, vm, policy));
    }
    const job = ctx.engine.startShortJob('ConfigureBackup', key, vm);
    return acceptedForItem(ctx, req, { jobId: job.id });
  });

  // Stop protection and delete data: the item and its recovery points go at once.
  router.add('DELETE', ITEM, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const item = requireItem(ctx, key, req.params);
    world.protectedItems.delete(world.itemKey(key, item.vmResourceId));
    for (let i = world.recoveryPoints.length - 1; i >= 0; i--) {
      const rp = world.recoveryPoints[i]!;
      if (rp.vaultKey === key && rp.vmResourceId.toLowerCase() === item.vmResourceId.toLowerCase()) {
        world.recoveryPoints.splice(i, 1);
      }
    }
    const job = ctx.engine.startShortJob('DeleteBackupData', key, {
      name: item.vmName,
      id: item.vmResourceId,
    });
    const op = ctx.operations.start({ jobId: job.id });
    return {
      status: 202,
      headers: acceptedHeaders(ctx, req, {
        asyncOperation: `${vault.id}/backupOperations/${op.id}`,
        location: `${vault.id}/backupOperationResults/${op.id}`,
      }),
    };
  });

  router.add('GET', `${ITEM}/recoveryPoints`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const item = requireItem(ctx, key, req.params);
    const vm = world.vmById(item.vmResourceId);
    const value = world.recoveryPoints
      .filter(
        (rp) => rp.vaultKey === key && rp.vmResourceId.toLowerCase() === item.vmResourceId.toLowerCase(),
      )
      .sort((a, b) => b.time.localeCompare(a.time))
      .map((rp) => recoveryPointJson(vault, item, rp, vm));
    return { status: 200, body: { value } };
  });
}

/**
 * Enabling protection or changing the policy: the VM must exist in the vault's subscription and
 * region (an Extended Zone VM's region is its parent), be discovered and not protected elsewhere;
 * the policy must exist, be Enhanced for an Extended Zone VM (rule 2) and not downgrade an Enhanced
 * item to a standard policy (rule 3).
 */
function checkEnable(
  ctx: SandboxContext,
  req: ArmRequest,
  vault: SandboxVault,
  vaultKey: string,
  props: Json,
  existing: SandboxProtectedItem | undefined,
): { vm: SandboxVm; policy: SandboxPolicy } {
  const { world } = ctx;
  const type = props.protectedItemType;
  if (type !== undefined && type !== 'Microsoft.Compute/virtualMachines') {
    throw badRequest(
      'BMSUserErrorInvalidInput',
      `Protected item type '${String(type)}' is not supported for Azure VMs; use Microsoft.Compute/virtualMachines.`,
    );
  }
  const sourceId = String(props.sourceResourceId ?? existing?.vmResourceId ?? '');
  const subscription = /^\/subscriptions\/([^/]+)\//i.exec(sourceId)?.[1];
  if (subscription && subscription.toLowerCase() !== world.subscriptionId.toLowerCase()) {
    throw badRequest(
      'BMSUserErrorVmNotInVaultSubscription',
      `The virtual machine '${sourceId}' is in subscription ${subscription}; vault ${vault.name} protects only VMs of its own subscription (${world.subscriptionId}).`,
    );
  }
  const vm = world.vmById(sourceId);
  if (!vm) {
    throw badRequest(
      'BMSUserErrorVmNotFound',
      `The virtual machine '${sourceId || '(none given)'}' does not exist.`,
    );
  }
  const suffix = `;${vm.resourceGroup};${vm.name}`.toLowerCase();
  if (
    !req.params.protectedItemName!.toLowerCase().endsWith(suffix) ||
    !req.params.containerName!.toLowerCase().endsWith(suffix)
  ) {
    throw badRequest(
      'BMSUserErrorInvalidInput',
      `The container and item names must name ${vm.name} in ${vm.resourceGroup} (${containerNameOf(vm.resourceGroup, vm.name)}, ${itemNameOf(vm.resourceGroup, vm.name)}).`,
    );
  }
  if (vm.location !== vault.location) {
    throw badRequest(
      'BMSUserErrorVMNotInVaultRegion',
      `The virtual machine ${vm.name} is in ${vm.location}; vault ${vault.name} is in ${vault.location} and protects only VMs of its own region (and its Extended Zones) and subscription.`,
    );
  }
  if (!existing) {
    if (!world.discovered.has(vm.id.toLowerCase())) {
      throw badRequest(
        'BMSUserErrorContainerObjectNotFound',
        `Azure Backup has not discovered ${vm.name} yet. Refresh the containers of the vault (backupFabrics/Azure/refreshContainers), then try again.`,
      );
    }
    const other = [...world.protectedItems.values()].find(
      (i) => i.vmResourceId.toLowerCase() === vm.id.toLowerCase() && i.vaultKey !== vaultKey,
    );
    if (other) {
      const otherVault = world.vaults.get(other.vaultKey);
      throw badRequest(
        'BMSUserErrorVmAlreadyProtectedByAnotherVault',
        `The virtual machine ${vm.name} is already protected by vault ${otherVault?.name ?? other.vaultKey}; a VM is backed up to one vault only.`,
      );
    }
  }
  const policyName =
    String(props.policyId ?? '')
      .split('/')
      .pop() ?? '';
  if (!policyName)
    throw badRequest(
      'BMSUserErrorPolicyNotFound',
      'Give the policy to protect the VM with (properties.policyId).',
    );
  const policy = world.policies.get(world.policyKey(vaultKey, policyName));
  if (!policy) {
    throw badRequest(
      'BMSUserErrorPolicyNotFound',
      `Policy '${policyName}' was not found in vault ${vault.name}.`,
    );
  }
  if (vm.extendedZone && policy.kind !== 'Enhanced') {
    throw badRequest(
      'BMSUserErrorEdgeZoneVMRequiresEnhancedPolicy',
      `The virtual machine ${vm.name} is in the Extended Zone ${vm.extendedZone}, which accepts only Enhanced policies; ${policy.name} is a standard policy.`,
    );
  }
  const current = existing && world.policies.get(world.policyKey(vaultKey, existing.policyName));
  if (current?.kind === 'Enhanced' && policy.kind === 'Standard') {
    throw badRequest(
      'BMSUserErrorPolicyTypeDowngradeNotAllowed',
      `${vm.name} is protected by the Enhanced policy ${current.name} and cannot move to the standard policy ${policy.name}.`,
    );
  }
  return { vm, policy };
}

function newItem(vaultKey: string, vm: SandboxVm, policy: SandboxPolicy): SandboxProtectedItem {
  return {
    vaultKey,
    vmResourceId: vm.id,
    vmName: vm.name,
    resourceGroup: vm.resourceGroup,
    containerName: containerNameOf(vm.resourceGroup, vm.name),
    itemName: itemNameOf(vm.resourceGroup, vm.name),
    policyName: policy.name,
    state: 'Protected',
    protectedItemDataId: String(Math.abs(hash(vm.id))),
  };
}

function matchesItemFilter(i: SandboxProtectedItem, filter: Map<string, string>): boolean {
  const want = (field: string, actual: string) => {
    const v = filter.get(field);
    return v === undefined || v.toLowerCase() === actual.toLowerCase();
  };
  return (
    want('backupmanagementtype', 'AzureIaasVM') &&
    want('itemtype', 'VM') &&
    want('policyname', i.policyName) &&
    want('protectionstate', i.state)
  );
}

/** A stable number per VM: Azure's protectedItemDataId is an opaque numeric id. */
function hash(text: string): number {
  let h = 0;
  for (const c of text.toLowerCase()) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}
