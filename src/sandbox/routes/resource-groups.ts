import { conflict, notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { RG, SUB } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
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
  router.add('HEAD', RG, (req) => {
    requireSubscription(ctx, req.params);
    return { status: world.resourceGroups.has(req.params.resourceGroupName!.toLowerCase()) ? 204 : 404 };
  });
  router.add('GET', RG, (req) => ({ status: 200, body: rgJson(requireResourceGroup(ctx, req.params)) }));
  router.add('PUT', RG, (req) => {
    requireSubscription(ctx, req.params);
    const name = req.params.resourceGroupName!;
    const location = (req.body as { location?: unknown } | undefined)?.location;
    if (typeof location !== 'string' || !location)
      throw notFound('LocationRequired', 'The location property is required for this definition.');
    const existed = world.resourceGroups.get(name.toLowerCase());
    const rg = existed ?? { name, location: location.replace(/\s+/g, '').toLowerCase() };
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
      })),
      ...[...world.vaults.values()].filter(inRg).map((v) => ({
        id: v.id,
        name: v.name,
        type: 'Microsoft.RecoveryServices/vaults',
        location: v.location,
      })),
    ];
    return { status: 200, body: { value } };
  });
  router.add('DELETE', RG, (req) => {
    const rg = requireResourceGroup(ctx, req.params);
    const key = rg.name.toLowerCase();
    const blocking = [...world.vaults.entries()].find(
      ([vk, v]) => v.resourceGroup.toLowerCase() === key && world.protectedCount(vk) > 0,
    );
    if (blocking) {
      throw conflict(
        'ServiceResourceNotEmpty',
        `Vault ${blocking[1].name} in resource group ${rg.name} still has protected items: stop their protection and delete their backup data before deleting the resource group.`,
      );
    }
    const op = ctx.operations.start({}, () => {
      world.resourceGroups.delete(key);
      for (const [id, vm] of world.vms) if (vm.resourceGroup.toLowerCase() === key) world.vms.delete(id);
      for (const [vk, v] of world.vaults) if (v.resourceGroup.toLowerCase() === key) world.vaults.delete(vk);
    });
    return {
      status: 202,
      headers: acceptedHeaders(
        req.baseUrl,
        undefined,
        `/subscriptions/${world.subscriptionId}/operationresults/${op.id}`,
        ctx.asyncRetryAfterSeconds,
      ),
    };
  });
  router.add('GET', `${SUB}/operationresults/{operationId}`, (req) => {
    requireSubscription(ctx, req.params);
    const read = ctx.operations.read(req.params.operationId!);
    if (!read) throw notFound('OperationNotFound', `Operation ${req.params.operationId} was not found.`);
    if (read.running) {
      return {
        status: 202,
        headers: acceptedHeaders(req.baseUrl, undefined, req.url.pathname, ctx.asyncRetryAfterSeconds),
      };
    }
    return { status: 200 };
  });
}
