import type { ArmRouter } from '../arm-router.js';
import { RG, VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import { requireResourceGroup, requireVault } from './lookups.js';
import { idOf, missing } from './storage-and-network.js';

/**
 * Microsoft.Authorization/permissions (Permissions_ListForResource / _ListForResourceGroup, REST
 * spec examples; no live recording): the caller's effective actions at a scope. The sandbox's
 * identity holds `world.permissions` everywhere (everything, unless a test narrows it).
 */
export function addPermissionRoutes(router: ArmRouter, ctx: SandboxContext): void {
  const answer = () => ({
    status: 200,
    body: {
      value: ctx.world.permissions.map((p) => ({
        actions: p.actions,
        notActions: p.notActions,
        dataActions: [],
        notDataActions: [],
      })),
    },
  });
  router.add('GET', `${RG}/providers/Microsoft.Authorization/permissions`, (req) => {
    requireResourceGroup(ctx, req.params);
    return answer();
  });
  router.add('GET', `${VAULT}/providers/Microsoft.Authorization/permissions`, (req) => {
    requireVault(ctx, req.params);
    return answer();
  });
  // The scopes a restore needs beyond the vault: its staging account and its subnet's network.
  for (const type of ['Microsoft.Storage/storageAccounts', 'Microsoft.Network/virtualNetworks']) {
    router.add(
      'GET',
      `${RG}/providers/${type}/{name}/providers/Microsoft.Authorization/permissions`,
      (req) => {
        requireResourceGroup(ctx, req.params);
        const id = idOf(ctx, req.params, type);
        const known = type.endsWith('storageAccounts') ? ctx.world.storageAccounts : ctx.world.vnets;
        if (!known.has(id)) throw missing(type, req.params);
        return answer();
      },
    );
  }
}
