import { checkName, normalizeRegion } from '../../domain/index.js';
import { ArmError, badRequest, conflict, notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { isAzureRegion } from '../azure-regions.js';
import { RG, SUB } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { OperationOutcome } from '../world.js';
import { acceptedHeaders, requireResourceGroup, requireSubscription } from './lookups.js';

/** Microsoft.Resources resource groups: exist, create, list contents, delete (a long-running operation). */
export function addResourceGroupRoutes(router: ArmRouter, ctx: SandboxContext): void {
  const { world } = ctx;
  const rgJson = (rg: { name: string; location: string }) => ({
    id: `/subscriptions/${world.subscriptionId}/resourceGroups/${rg.name}`,
    name: rg.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: rg.location,
    properties: { provisioningState: 'Succeeded' },
  });

  router.add('GET', `${SUB}/resourcegroups`, (req) => {
    requireSubscription(ctx, req.params);
    return { status: 200, body: { value: [...world.resourceGroups.values()].map(rgJson) } };
  });
  // checkExistence: 204 or 404, no body.
  router.add('HEAD', RG, (req) => {
    requireSubscription(ctx, req.params);
    return { status: world.resourceGroups.has(req.params.resourceGroupName!.toLowerCase()) ? 204 : 404 };
  });
  router.add('GET', RG, (req) => ({ status: 200, body: rgJson(requireResourceGroup(ctx, req.params)) }));
  router.add('PUT', RG, (req) => {
    requireSubscription(ctx, req.params);
    const name = req.params.resourceGroupName!;
    const nameProblem = checkName('resourceGroup', name);
    if (nameProblem) throw badRequest('InvalidResourceGroup', nameProblem);
    const raw = (req.body as { location?: unknown } | undefined)?.location;
    if (typeof raw !== 'string' || !raw.trim()) {
      throw badRequest('LocationRequired', 'The location property is required for this definition.');
    }
    const location = normalizeRegion(raw);
    if (!isAzureRegion(location)) {
      throw badRequest(
        'LocationNotAvailableForResourceGroup',
        `The provided location '${raw}' is not available for resource group.`,
      );
    }
    const existed = world.resourceGroups.get(name.toLowerCase());
    if (existed && existed.location !== location) {
      throw conflict(
        'InvalidResourceGroupLocation',
        `Invalid resource group location '${location}'. The Resource group already exists in location '${existed.location}'.`,
      );
    }
    const rg = existed ?? { name, location };
    world.resourceGroups.set(name.toLowerCase(), rg);
    return { status: existed ? 200 : 201, body: rgJson(rg) };
  });

  router.add('GET', `${RG}/resources`, (req) => {
    const rg = requireResourceGroup(ctx, req.params);
    const inRg = (r: { resourceGroup: string }) => r.resourceGroup.toLowerCase() === rg.name.toLowerCase();
    const value = [
      ...[...world.vms.values()].filter(inRg).map((vm) => ({
        id: vm.id,
        name: vm.name,
        type: 'Microsoft.Compute/virtualMachines',
        location: vm.location,
        ...(vm.extendedZone ? { extendedLocation: { type: 'EdgeZone', name: vm.extendedZone } } : {}),
      })),
      ...[...world.vaults.values()].filter(inRg).map((v) => ({
        id: v.id,
        name: v.name,
        type: 'Microsoft.RecoveryServices/vaults',
        location: v.location,
        sku: { name: 'RS0', tier: 'Standard' },
      })),
      ...[...world.storageAccounts.values()].filter(inRg).map((a) => ({
        id: a.id,
        name: a.name,
        type: 'Microsoft.Storage/storageAccounts',
        location: a.location,
      })),
      ...[...world.vnets.values()].filter(inRg).map((v) => ({
        id: v.id,
        name: v.name,
        type: 'Microsoft.Network/virtualNetworks',
        location: v.location,
      })),
      ...world.disks.filter(inRg).map((d) => ({
        id: world.resourceId(d.resourceGroup, 'Microsoft.Compute/disks', d.name),
        name: d.name,
        type: 'Microsoft.Compute/disks',
        location: d.location,
        ...(d.extendedZone ? { extendedLocation: { type: 'EdgeZone', name: d.extendedZone } } : {}),
      })),
    ];
    return { status: 200, body: { value } };
  });

  // ARM accepts the deletion (202) and deletes the group's resources one by one: the VMs go, and
  // a vault that still holds backup data (soft-deleted data does not count: the vault is then kept
  // as a deleted vault, as recorded) refuses, so the deletion fails part-way and the group stays.
  // No live session recorded a resource group deletion: the minute and the error are this
  // sandbox's, the behaviour ARM's documented one.
  router.add('DELETE', RG, (req) => {
    const rg = requireResourceGroup(ctx, req.params);
    const key = rg.name.toLowerCase();
    // The outcome is settled when the deletion runs: the object is the operation's own.
    const outcome: OperationOutcome = {};
    const op = ctx.operations.start(outcome, {
      durationMs: 60_000,
      onDone: () => {
        const blocking = [...world.vaults.entries()].find(
          ([vk, v]) => v.resourceGroup.toLowerCase() === key && world.protectedCount(vk) > 0,
        );
        if (!blocking) return world.removeResourceGroup(rg.name);
        world.removeResourceGroupExcept(rg.name, blocking[0]);
        // ARM's failure as reported live (azure-sdk-for-go issue 2645): 409 on the operation.
        Object.assign(outcome, {
          error: {
            code: 'ResourceGroupDeletionBlocked',
            message: `Deletion of resource group '${rg.name}' failed as resources with identifiers '${blocking[1].id}' could not be deleted. The provisioning state of the resource group will be rolled back. Please check audit logs for more details.`,
          },
        });
      },
    });
    return {
      status: 202,
      headers: acceptedHeaders(ctx, req, {
        location: `/subscriptions/${world.subscriptionId}/operationresults/${op.id}`,
      }),
    };
  });
  // ARM's Location polling: 202 while running, then 200 once the group is gone.
  router.add('GET', `${SUB}/operationresults/{operationId}`, (req) => {
    requireSubscription(ctx, req.params);
    const read = ctx.operations.read(req.params.operationId!);
    if (!read) throw notFound('OperationNotFound', `Operation '${req.params.operationId}' was not found.`);
    if (read.running)
      return { status: 202, headers: acceptedHeaders(ctx, req, { location: req.url.pathname }) };
    if ('error' in read.op.outcome) {
      throw new ArmError(409, read.op.outcome.error.code, read.op.outcome.error.message);
    }
    return { status: 200 };
  });
}
