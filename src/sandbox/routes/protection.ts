import type { ArmError } from '../arm-errors.js';
import { badRequest, notFound } from '../arm-errors.js';
import type { ArmRequest, ArmResponse, ArmRouter } from '../arm-router.js';
import { RECORDED_OPERATION_SECONDS } from '../async-operations.js';
import { parseEqFilter } from '../odata-filter.js';
import { containerNameOf, itemJson, itemNameOf, recoveryPointJson } from '../protection-json.js';
import { ITEM, VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxJob, SandboxPolicy, SandboxProtectedItem, SandboxVault, SandboxVm } from '../world.js';
import { followsPolicy } from '../world.js';
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

  // Enable, resume, stop keeping data, undelete: each a 202 whose change lands when the operation
  // completes, after the recorded time (enable ~92 s, the others ~11 s).
  router.add('PUT', ITEM, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    requireFabric(req.params);
    const props = propertiesOf(req.body);
    const existing = world.findItem(key, req.params.containerName!, req.params.protectedItemName!);
    const vmOf = (i: SandboxProtectedItem) => ({ name: i.vmName, id: i.vmResourceId });
    if (props.isRehydrate === true) {
      if (!existing?.softDeletedAtMs) throw notSoftDeleted(req.params.protectedItemName!);
      return shortJobOperation(ctx, req, 'Undelete', key, vmOf(existing), { 'Undelete flag': 'True' }, () => {
        delete existing.softDeletedAtMs;
        delete existing.softDeleteRetentionDays;
      });
    }
    if (existing?.softDeletedAtMs !== undefined) throw softDeleted(existing.vmName);
    if (props.protectionState === 'ProtectionStopped') {
      if (!existing) throw itemNotFound(req.params.protectedItemName!);
      return shortJobOperation(ctx, req, 'DisableBackup', key, vmOf(existing), { 'Policy Name': '' }, () => {
        existing.state = 'ProtectionStopped';
      });
    }
    const { vm, policy } = checkEnable(ctx, req, vault, key, props, existing);
    const bag = { 'Policy Name': policy.name };
    if (existing) {
      return shortJobOperation(ctx, req, 'ConfigureBackup', key, vm, bag, () => {
        existing.policyName = policy.name;
        existing.state = existing.lastRecoveryPoint ? 'Protected' : 'IRPending';
      });
    }
    return shortJobOperation(
      ctx,
      req,
      'ConfigureBackup',
      key,
      vm,
      bag,
      () => {
        world.protectedItems.set(world.itemKey(key, vm.id), newItem(key, vm, policy));
      },
      RECORDED_OPERATION_SECONDS.enableProtection,
    );
  });

  // Stop protection and delete data. With soft delete (on by default) the item stays for the vault's
  // retention, ProtectionStopped, with its recovery points; without it, item and points go. Recorded:
  // 202 with vault-level operation URLs and Retry-After: 60.
  router.add('DELETE', ITEM, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const item = requireItem(ctx, key, req.params);
    if (item.softDeletedAtMs !== undefined) throw softDeleted(item.vmName);
    const points = world.recoveryPoints.filter(
      (rp) => rp.vaultKey === key && rp.vmResourceId.toLowerCase() === item.vmResourceId.toLowerCase(),
    ).length;
    const seconds = vault.softDelete
      ? RECORDED_OPERATION_SECONDS.softDelete
      : RECORDED_OPERATION_SECONDS.hardDelete;
    const startedAt = ctx.clock.now().getTime();
    const durationMs = ctx.operations.scaled(seconds * 1000);
    const job = ctx.engine.startShortJob(
      'DeleteBackupData',
      key,
      { name: item.vmName, id: item.vmResourceId },
      durationMs,
      { recoveryPointCount: vault.softDelete ? 0 : points },
    );
    const op = ctx.operations.start(
      { jobId: job.id },
      {
        durationMs: seconds * 1000,
        onDone: () => {
          if (!vault.softDelete) return world.removeItem(world.itemKey(key, item.vmResourceId), item);
          item.state = 'ProtectionStopped';
          item.softDeletedAtMs = startedAt;
          item.softDeleteRetentionDays = vault.softDeleteRetentionDays;
        },
      },
    );
    return {
      status: 202,
      headers: acceptedHeaders(
        ctx,
        req,
        {
          asyncOperation: `${vault.id}/backupOperations/${op.id}`,
          location: `${vault.id}/backupOperationResults/${op.id}`,
        },
        { retryAfter: 'item' },
      ),
    };
  });

  // One point by its id, as az CLI reads it before a restore (test_backup_restore.yaml, 2022 and 2026).
  router.add('GET', `${ITEM}/recoveryPoints/{recoveryPointId}`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const item = requireItem(ctx, key, req.params);
    const rp = world.recoveryPoints.find(
      (p) =>
        p.vaultKey === key &&
        p.id === req.params.recoveryPointId &&
        p.vmResourceId.toLowerCase() === item.vmResourceId.toLowerCase(),
    );
    if (!rp) {
      // Not in any recording: the code is the one Azure Backup gives for an item it does not have.
      throw notFound(
        'BMSUserErrorObjectNotFound',
        `Recovery point ${req.params.recoveryPointId} of ${item.vmName} was not found.`,
      );
    }
    return { status: 200, body: recoveryPointJson(vault, item, rp, world.vmById(item.vmResourceId)) };
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
 * region (an Extended Zone VM's region is its parent), be discovered and not protected elsewhere
 * (stopped elsewhere with its data kept is allowed);
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
  // Exactly Azure's names (any case; the container's `iaasvmcontainer;` prefix optional): the
  // protectable item's `name` (`iaasvmcontainerv2;rg;vm`) is not the item's and is refused.
  const base = `iaasvmcontainerv2;${vm.resourceGroup};${vm.name}`.toLowerCase();
  const container = req.params.containerName!.toLowerCase();
  if (
    req.params.protectedItemName!.toLowerCase() !== `vm;${base}` ||
    (container !== base && container !== `iaasvmcontainer;${base}`)
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
    // Stopped with its data kept in another vault, the VM may be protected here (PowerShell 2025:
    // 202 -> Succeeded); protected there, or its data soft-deleted there (no record), it may not.
    const other = [...world.protectedItems.values()].find(
      (i) =>
        i.vmResourceId.toLowerCase() === vm.id.toLowerCase() &&
        i.vaultKey !== vaultKey &&
        (followsPolicy(i) || i.softDeletedAtMs !== undefined),
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

/**
 * A 202 for an item change: a short job (configure, disable, undelete) that ends when the
 * operation does, after the recorded time, when the change lands.
 */
function shortJobOperation(
  ctx: SandboxContext,
  req: ArmRequest,
  operation: SandboxJob['operation'],
  vaultKey: string,
  vm: { name: string; id: string },
  propertyBag: Record<string, string>,
  onDone: () => void,
  seconds: number = RECORDED_OPERATION_SECONDS.itemUpdate,
): ArmResponse {
  const job = ctx.engine.startShortJob(operation, vaultKey, vm, ctx.operations.scaled(seconds * 1000), {
    propertyBag,
  });
  return acceptedForItem(ctx, req, { jobId: job.id }, { durationMs: seconds * 1000, onDone });
}

function softDeleted(vmName: string): ArmError {
  // Not in any recording: the error Azure gives here is unknown; the code is Azure Backup's generic one.
  return badRequest(
    'BMSUserErrorInvalidInput',
    `The backup data of ${vmName} is soft-deleted. Undelete it (PUT with isRehydrate) before protecting or deleting it again.`,
  );
}

function notSoftDeleted(name: string): ArmError {
  return badRequest(
    'BMSUserErrorInvalidInput',
    `The backup item '${name}' is not soft-deleted: there is nothing to undelete.`,
  );
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
    state: 'IRPending',
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
