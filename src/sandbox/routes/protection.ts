import { randomUUID } from 'node:crypto';
import { normalizeRegion } from '../../domain/index.js';
import { badRequest, notFound } from '../arm-errors.js';
import type { ArmRouter, ArmResponse } from '../arm-router.js';
import { ITEM, VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxProtectedItem, SandboxVault } from '../world.js';
import { requirePolicy } from './backup-policies.js';
import { acceptedHeaders, pathOf, requireVault } from './lookups.js';

const ITEM_TYPE = 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems';
const DAY_MS = 86_400_000;

/**
 * Discovery, protection, on-demand backup and recovery points of Azure VMs, with Azure Backup's
 * rules enforced here too (DESIGN.md section 3): the bot is never the only guard.
 */
export function addProtectionRoutes(router: ArmRouter, ctx: SandboxContext): void {
  const { world } = ctx;

  router.add('GET', `${VAULT}/backupProtectableItems`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const protectedIds = new Set(
      [...world.protectedItems.values()]
        .filter((i) => i.vaultKey === key)
        .map((i) => i.vmResourceId.toLowerCase()),
    );
    const value = [...world.vms.values()]
      .filter((vm) => world.discovered.has(vm.id.toLowerCase()) && !protectedIds.has(vm.id.toLowerCase()))
      .filter((vm) => normalizeRegion(vm.location) === vault.location)
      .map((vm) => ({
        id: `${vault.id}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;${vm.resourceGroup};${vm.name}/protectableItems/VM;iaasvmcontainerv2;${vm.resourceGroup};${vm.name}`,
        name: `VM;iaasvmcontainerv2;${vm.resourceGroup};${vm.name}`,
        type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectableItems',
        properties: {
          friendlyName: vm.name,
          virtualMachineId: vm.id,
          protectionState: 'NotProtected',
          protectableItemType: 'Microsoft.Compute/virtualMachines',
          backupManagementType: 'AzureIaasVM',
          workloadType: 'VM',
        },
      }));
    return { status: 200, body: { value } };
  });

  router.add('POST', `${VAULT}/backupFabrics/{fabricName}/refreshContainers`, (req) => {
    const { vault } = requireVault(ctx, req.params);
    requireFabric(req.params);
    const op = ctx.operations.start({}, () => {
      for (const vm of world.vms.values()) world.discovered.add(vm.id.toLowerCase());
    });
    return {
      status: 202,
      headers: acceptedHeaders(
        req.baseUrl,
        undefined,
        `${vault.id}/backupFabrics/Azure/operationResults/${op.id}`,
        ctx.asyncRetryAfterSeconds,
      ),
    };
  });
  router.add('GET', `${VAULT}/backupFabrics/{fabricName}/operationResults/{operationId}`, (req) => {
    requireVault(ctx, req.params);
    return operationResult(ctx, req.params.operationId!, req.baseUrl, pathOf(req.url), 204);
  });

  router.add('GET', `${VAULT}/backupProtectedItems`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const value = [...world.protectedItems.values()]
      .filter((i) => i.vaultKey === key)
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
    const props = ((req.body as { properties?: unknown } | undefined)?.properties ?? {}) as Record<
      string,
      unknown
    >;
    const existing = world.findItem(key, req.params.containerName!, req.params.protectedItemName!);
    if (props.protectionState === 'ProtectionStopped') {
      if (!existing) throw itemNotFound(req.params.protectedItemName!);
      existing.state = 'ProtectionStopped';
      const job = ctx.engine.startShortJob('DisableBackup', key, {
        name: existing.vmName,
        id: existing.vmResourceId,
      });
      return accepted(ctx, req.baseUrl, pathOf(req.url), job.id);
    }
    const vm = world.vmById(String(props.sourceResourceId ?? ''));
    if (!vm)
      throw badRequest(
        'BMSUserErrorVmNotFound',
        `The virtual machine '${String(props.sourceResourceId)}' does not exist.`,
      );
    if (
      !req.params
        .protectedItemName!.toLowerCase()
        .endsWith(`;${vm.resourceGroup.toLowerCase()};${vm.name.toLowerCase()}`)
    ) {
      throw badRequest(
        'BMSUserErrorInvalidInput',
        'The protected item name does not match the virtual machine.',
      );
    }
    if (normalizeRegion(vm.location) !== vault.location) {
      throw badRequest(
        'BMSUserErrorVMNotInVaultRegion',
        `The virtual machine ${vm.name} is in ${vm.location}; vault ${vault.name} (${vault.location}) protects only VMs of its own region and subscription.`,
      );
    }
    const policyName =
      String(props.policyId ?? '')
        .split('/')
        .pop() ?? '';
    const policy = requirePolicy(ctx, key, policyName);
    if (vm.extendedZone && policy.kind !== 'Enhanced') {
      throw badRequest(
        'BMSUserErrorEdgeZoneVMRequiresEnhancedPolicy',
        `The virtual machine ${vm.name} is in the Extended Zone ${vm.extendedZone}, which supports only Enhanced policies; ${policy.name} is a standard policy.`,
      );
    }
    if (existing) {
      const current = world.policies.get(world.policyKey(key, existing.policyName));
      if (current?.kind === 'Enhanced' && policy.kind === 'Standard') {
        throw badRequest(
          'BMSUserErrorPolicyTypeDowngradeNotAllowed',
          `${vm.name} is protected by an Enhanced policy and cannot move to a standard one.`,
        );
      }
      existing.policyName = policy.name;
      existing.state = 'Protected';
    } else {
      const item: SandboxProtectedItem = {
        vaultKey: key,
        vmResourceId: vm.id,
        vmName: vm.name,
        resourceGroup: vm.resourceGroup,
        containerName: `IaasVMContainer;iaasvmcontainerv2;${vm.resourceGroup};${vm.name}`,
        itemName: `VM;iaasvmcontainerv2;${vm.resourceGroup};${vm.name}`,
        policyName: policy.name,
        state: 'Protected',
        protectedItemDataId: String(Date.now()),
      };
      world.protectedItems.set(world.itemKey(key, vm.id), item);
      world.discovered.add(vm.id.toLowerCase());
    }
    const job = ctx.engine.startShortJob('ConfigureBackup', key, vm);
    return accepted(ctx, req.baseUrl, pathOf(req.url), job.id);
  });

  router.add('DELETE', ITEM, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const item = requireItem(ctx, key, req.params);
    world.protectedItems.delete(world.itemKey(key, item.vmResourceId));
    for (let i = world.recoveryPoints.length - 1; i >= 0; i--) {
      const rp = world.recoveryPoints[i]!;
      if (rp.vaultKey === key && rp.vmResourceId.toLowerCase() === item.vmResourceId.toLowerCase())
        world.recoveryPoints.splice(i, 1);
    }
    const job = ctx.engine.startShortJob('DeleteBackupData', key, {
      name: item.vmName,
      id: item.vmResourceId,
    });
    const op = ctx.operations.start({ jobId: job.id });
    return {
      status: 202,
      headers: acceptedHeaders(
        req.baseUrl,
        `${vault.id}/backupOperations/${op.id}`,
        `${vault.id}/backupOperationResults/${op.id}`,
        ctx.asyncRetryAfterSeconds,
      ),
    };
  });

  router.add('GET', `${ITEM}/operationsStatus/{operationId}`, (req) => {
    requireVault(ctx, req.params);
    return operationStatus(ctx, req.params.operationId!);
  });
  router.add('GET', `${ITEM}/operationResults/{operationId}`, (req) => {
    requireVault(ctx, req.params);
    return operationResult(ctx, req.params.operationId!, req.baseUrl, pathOf(req.url), 204);
  });
  router.add('GET', `${VAULT}/backupOperations/{operationId}`, (req) => {
    requireVault(ctx, req.params);
    return operationStatus(ctx, req.params.operationId!);
  });
  router.add('GET', `${VAULT}/backupOperationResults/{operationId}`, (req) => {
    requireVault(ctx, req.params);
    return operationResult(ctx, req.params.operationId!, req.baseUrl, pathOf(req.url), 204);
  });

  router.add('POST', `${ITEM}/backup`, (req) => {
    const { key } = requireVault(ctx, req.params);
    const item = requireItem(ctx, key, req.params);
    if (item.state !== 'Protected') {
      throw badRequest(
        'BMSUserErrorProtectionStopped',
        `Protection of ${item.vmName} is stopped; resume it before taking a backup.`,
      );
    }
    const vm = world.vmById(item.vmResourceId);
    if (!vm)
      throw badRequest('BMSUserErrorVmNotFound', `The virtual machine of ${item.vmName} no longer exists.`);
    const props = ((req.body as { properties?: unknown } | undefined)?.properties ?? {}) as Record<
      string,
      unknown
    >;
    const now = ctx.clock.now().getTime();
    const expiryText = props.recoveryPointExpiryTimeInUTC;
    const expiry = typeof expiryText === 'string' ? Date.parse(expiryText) : now + 30 * DAY_MS;
    if (Number.isNaN(expiry) || expiry <= now) {
      throw badRequest(
        'BMSUserErrorInvalidRetentionDate',
        'The recovery point expiry time must be in the future.',
      );
    }
    if (expiry > now + 99 * 366 * DAY_MS) {
      throw badRequest(
        'BMSUserErrorInvalidRetentionDate',
        'A recovery point can be kept for at most 99 years.',
      );
    }
    const running = ctx.engine.snapshotInProgress(vm.id);
    const base = pathOf(req.url).replace(/\/backup$/i, '');
    if (running) {
      // As in Azure: the trigger is accepted, and the operation then fails.
      const op = ctx.operations.start({
        error: {
          code: 'UserErrorBackupOperationInProgress',
          message: `Unable to take a backup of ${vm.name} as another backup operation (job ${running.id}) is taking a snapshot.`,
        },
      });
      return {
        status: 202,
        headers: acceptedHeaders(
          req.baseUrl,
          `${base}/operationsStatus/${op.id}`,
          `${base}/operationResults/${op.id}`,
          ctx.asyncRetryAfterSeconds,
        ),
      };
    }
    const job = ctx.engine.startBackup(item, vm, new Date(expiry).toISOString());
    const op = ctx.operations.start({ jobId: job.id });
    return {
      status: 202,
      headers: acceptedHeaders(
        req.baseUrl,
        `${base}/operationsStatus/${op.id}`,
        `${base}/operationResults/${op.id}`,
        ctx.asyncRetryAfterSeconds,
      ),
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
      .map((rp) => ({
        id: `${vault.id}/backupFabrics/Azure/protectionContainers/${item.containerName}/protectedItems/${item.itemName}/recoveryPoints/${rp.id}`,
        name: rp.id,
        type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/recoveryPoints',
        properties: {
          objectType: 'IaasVMRecoveryPoint',
          recoveryPointType: rp.type,
          recoveryPointTime: rp.time,
          recoveryPointAdditionalInfo: '',
          sourceVMStorageType: 'NormalStorage',
          isSourceVMEncrypted: false,
          isInstantIlrSessionActive: false,
          recoveryPointTierDetails: [
            { type: 'InstantRP', status: 'Valid' },
            { type: 'HardenedRP', status: 'Valid' },
          ],
          isManagedVirtualMachine: true,
          virtualMachineSize: vm?.vmSize ?? 'Standard_D2s_v3',
          originalStorageAccountOption: false,
          osType: vm?.osType,
          ...(vm?.extendedZone ? { extendedLocation: { type: 'EdgeZone', name: vm.extendedZone } } : {}),
        },
      }));
    return { status: 200, body: { value } };
  });
}

function requireFabric(params: Record<string, string>): void {
  if (params.fabricName?.toLowerCase() !== 'azure')
    throw notFound('BMSUserErrorObjectNotFound', `Fabric '${params.fabricName}' was not found.`);
}

function requireItem(
  ctx: SandboxContext,
  vaultKey: string,
  params: Record<string, string>,
): SandboxProtectedItem {
  requireFabric(params);
  const item = ctx.world.findItem(vaultKey, params.containerName!, params.protectedItemName!);
  if (!item) throw itemNotFound(params.protectedItemName!);
  return item;
}

function itemNotFound(name: string): ReturnType<typeof notFound> {
  return notFound('BMSUserErrorObjectNotFound', `The item '${name}' was not found in the vault.`);
}

function accepted(ctx: SandboxContext, baseUrl: string, itemPath: string, jobId: string): ArmResponse {
  const op = ctx.operations.start({ jobId });
  return {
    status: 202,
    headers: acceptedHeaders(
      baseUrl,
      `${itemPath}/operationsStatus/${op.id}`,
      `${itemPath}/operationResults/${op.id}`,
      ctx.asyncRetryAfterSeconds,
    ),
  };
}

function operationStatus(ctx: SandboxContext, id: string): ArmResponse {
  const read = ctx.operations.read(id);
  if (!read) throw notFound('BMSUserErrorOperationNotFound', `Operation ${id} was not found.`);
  return {
    status: 200,
    body: ctx.operations.statusBody(read.op, read.running),
    ...(read.running ? { headers: { 'retry-after': String(ctx.asyncRetryAfterSeconds) } } : {}),
  };
}

function operationResult(
  ctx: SandboxContext,
  id: string,
  baseUrl: string,
  path: string,
  doneStatus: number,
): ArmResponse {
  const read = ctx.operations.read(id);
  if (!read) throw notFound('BMSUserErrorOperationNotFound', `Operation ${id} was not found.`);
  if (read.running)
    return { status: 202, headers: acceptedHeaders(baseUrl, undefined, path, ctx.asyncRetryAfterSeconds) };
  return { status: doneStatus };
}

function itemJson(
  ctx: SandboxContext,
  vault: SandboxVault,
  i: SandboxProtectedItem,
): Record<string, unknown> {
  ctx.engine.catchUp();
  const policy = ctx.world.policies.get(ctx.world.policyKey(i.vaultKey, i.policyName));
  return {
    id: `${vault.id}/backupFabrics/Azure/protectionContainers/${i.containerName}/protectedItems/${i.itemName}`,
    name: i.itemName,
    type: ITEM_TYPE,
    properties: {
      friendlyName: i.vmName,
      virtualMachineId: i.vmResourceId,
      sourceResourceId: i.vmResourceId,
      protectionStatus: i.state === 'Protected' ? 'Healthy' : 'Unhealthy',
      protectionState: i.state,
      healthStatus: 'Passed',
      lastBackupStatus: i.lastBackupStatus ?? '',
      ...(i.lastBackupTime ? { lastBackupTime: i.lastBackupTime } : {}),
      protectedItemDataId: i.protectedItemDataId,
      protectedItemType: 'Microsoft.Compute/virtualMachines',
      backupManagementType: 'AzureIaasVM',
      workloadType: 'VM',
      containerName: i.containerName.split(';').slice(1).join(';'),
      policyId: i.state === 'Protected' ? `${vault.id}/backupPolicies/${i.policyName}` : '',
      policyName: i.policyName,
      ...(policy ? { policyType: policy.kind === 'Enhanced' ? 'V2' : 'V1' } : {}),
      lastRecoveryPoint: i.lastRecoveryPoint ?? null,
    },
    eTag: randomUUID(),
  };
}
