import type { ArmRouter } from '../arm-router.js';
import { parseEqFilter } from '../odata-filter.js';
import { protectableItemJson } from '../protection-json.js';
import { VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import { requireFabric } from './item-requests.js';
import { RECORDED_OPERATION_SECONDS } from '../async-operations.js';
import { followsPolicy } from '../world.js';
import { apiVersionOf, pathOf, requireVault } from './lookups.js';
import { operationResult, operationStatus } from './operations.js';

/**
 * What Azure Backup can see: protectable items are the discovered VMs of the vault's subscription
 * and region that no vault protects; a container refresh discovers the others.
 */
export function addDiscoveryRoutes(router: ArmRouter, ctx: SandboxContext): void {
  const { world } = ctx;

  router.add('GET', `${VAULT}/backupProtectableItems`, (req) => {
    const { vault } = requireVault(ctx, req.params);
    const filter = parseEqFilter(req.url.searchParams.get('$filter'), [
      'backupManagementType',
      'workloadType',
    ]);
    const type = filter.get('backupmanagementtype');
    const workload = filter.get('workloadtype');
    if ((type !== undefined && type !== 'AzureIaasVM') || (workload !== undefined && workload !== 'VM')) {
      return { status: 200, body: { value: [] } };
    }
    // A VM a vault protects, or holds soft-deleted data of, is not protectable (one vault per VM).
    // Stopped with its data kept, it is, in any vault of its region (PowerShell 2025,
    // TestAzureVMRedoProtection.json); for soft-deleted data no record says, so it stays hidden.
    const taken = new Set(
      [...world.protectedItems.values()]
        .filter((i) => followsPolicy(i) || i.softDeletedAtMs !== undefined)
        .map((i) => i.vmResourceId.toLowerCase()),
    );
    const value = [...world.vms.values()]
      .filter((vm) => world.discovered.has(vm.id.toLowerCase()) && !taken.has(vm.id.toLowerCase()))
      .filter((vm) => vm.location === vault.location)
      .map((vm) => protectableItemJson(vault, vm));
    return { status: 200, body: { value } };
  });

  // Recorded: 202 with Azure-AsyncOperation (fabric operationsStatus, its own api-version) and
  // Location (fabric operationResults), no Retry-After; done about 11 s later, polled or not.
  router.add('POST', `${VAULT}/backupFabrics/{fabricName}/refreshContainers`, (req) => {
    const { vault } = requireVault(ctx, req.params);
    requireFabric(req.params);
    const op = ctx.operations.start(
      {},
      {
        durationMs: RECORDED_OPERATION_SECONDS.refreshContainers * 1000,
        onDone: () => {
          for (const vm of world.vms.values()) world.discovered.add(vm.id.toLowerCase());
        },
      },
    );
    const fabric = `${vault.id}/backupFabrics/Azure`;
    return {
      status: 202,
      headers: {
        'azure-asyncoperation': `${req.baseUrl}${fabric}/operationsStatus/${op.id}?api-version=2019-05-13-preview`,
        location: `${req.baseUrl}${fabric}/operationResults/${op.id}?api-version=${apiVersionOf(req)}`,
      },
    };
  });
  // 202 while the refresh runs, then 204.
  router.add('GET', `${VAULT}/backupFabrics/{fabricName}/operationResults/{operationId}`, (req) => {
    requireVault(ctx, req.params);
    requireFabric(req.params);
    return operationResult(ctx, req, pathOf(req.url), () => undefined, undefined, { retryAfter: false });
  });
  router.add('GET', `${VAULT}/backupFabrics/{fabricName}/operationsStatus/{operationId}`, (req) => {
    requireVault(ctx, req.params);
    requireFabric(req.params);
    return operationStatus(ctx, req);
  });
}
