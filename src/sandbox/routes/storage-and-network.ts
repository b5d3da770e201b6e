import { notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { RG } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxStorageAccount, SandboxVnet } from '../world.js';
import { requireResourceGroup } from './lookups.js';

/**
 * The storage accounts and virtual networks a restore names, read as az CLI reads them before a
 * restore (test_backup_restore.yaml): by id through the generic resources API, in the recorded
 * shapes (trimmed to what a client reads).
 */
export function addStorageAndNetworkRoutes(router: ArmRouter, ctx: SandboxContext): void {
  router.add('GET', `${RG}/providers/Microsoft.Storage/storageAccounts/{name}`, (req) => {
    requireResourceGroup(ctx, req.params);
    const account = ctx.world.storageAccounts.get(idOf(ctx, req.params, 'Microsoft.Storage/storageAccounts'));
    if (!account) throw missing('Microsoft.Storage/storageAccounts', req.params);
    return { status: 200, body: storageAccountJson(account) };
  });
  router.add('GET', `${RG}/providers/Microsoft.Network/virtualNetworks/{name}`, (req) => {
    requireResourceGroup(ctx, req.params);
    const vnet = ctx.world.vnets.get(idOf(ctx, req.params, 'Microsoft.Network/virtualNetworks'));
    if (!vnet) throw missing('Microsoft.Network/virtualNetworks', req.params);
    return { status: 200, body: vnetJson(vnet) };
  });
}

export function idOf(ctx: SandboxContext, params: Record<string, string>, type: string): string {
  return ctx.world.resourceId(params.resourceGroupName!, type, params.name!).toLowerCase();
}

export function missing(type: string, params: Record<string, string>) {
  return notFound(
    'ResourceNotFound',
    `The Resource '${type}/${params.name}' under resource group '${params.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function storageAccountJson(a: SandboxStorageAccount): Record<string, unknown> {
  return {
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    kind: 'StorageV2',
    id: a.id,
    name: a.name,
    type: 'Microsoft.Storage/storageAccounts',
    location: a.location,
    properties: { provisioningState: 'Succeeded', primaryLocation: a.location, statusOfPrimary: 'available' },
  };
}

export function vnetJson(v: SandboxVnet): Record<string, unknown> {
  return {
    name: v.name,
    id: v.id,
    type: 'Microsoft.Network/virtualNetworks',
    location: v.location,
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: v.subnets.map((s, i) => ({
        name: s,
        id: `${v.id}/subnets/${s}`,
        properties: { provisioningState: 'Succeeded', addressPrefix: `10.0.${i}.0/24` },
        type: 'Microsoft.Network/virtualNetworks/subnets',
      })),
    },
  };
}
