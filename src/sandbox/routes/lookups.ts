import { notFound } from '../arm-errors.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxVault } from '../world.js';

export function requireSubscription(ctx: SandboxContext, params: Record<string, string>): void {
  if (params.subscriptionId?.toLowerCase() !== ctx.world.subscriptionId.toLowerCase()) {
    throw notFound('SubscriptionNotFound', `The subscription '${params.subscriptionId}' could not be found.`);
  }
}

export function requireResourceGroup(
  ctx: SandboxContext,
  params: Record<string, string>,
): { name: string; location: string } {
  requireSubscription(ctx, params);
  const rg = ctx.world.resourceGroups.get((params.resourceGroupName ?? '').toLowerCase());
  if (!rg)
    throw notFound(
      'ResourceGroupNotFound',
      `Resource group '${params.resourceGroupName}' could not be found.`,
    );
  return rg;
}

export function requireVault(
  ctx: SandboxContext,
  params: Record<string, string>,
): { vault: SandboxVault; key: string } {
  requireResourceGroup(ctx, params);
  const key = ctx.world.vaultKey(params.resourceGroupName ?? '', params.vaultName ?? '');
  const vault = ctx.world.vaults.get(key);
  if (!vault) {
    throw notFound(
      'ResourceNotFound',
      `The Resource 'Microsoft.RecoveryServices/vaults/${params.vaultName}' under resource group '${params.resourceGroupName}' was not found.`,
    );
  }
  return { vault, key };
}

/** 202 headers pointing at an operation: absolute URLs on the sandbox itself. */
export function acceptedHeaders(
  baseUrl: string,
  asyncPath: string | undefined,
  locationPath: string | undefined,
  retryAfterSeconds: number,
): Record<string, string> {
  return {
    ...(asyncPath ? { 'azure-asyncoperation': `${baseUrl}${asyncPath}?api-version=2023-06-01` } : {}),
    ...(locationPath ? { location: `${baseUrl}${locationPath}?api-version=2023-06-01` } : {}),
    'retry-after': String(retryAfterSeconds),
  };
}

/** The path a request came in on, without its query (for building operation URLs under it). */
export function pathOf(url: URL): string {
  return url.pathname.replace(/\/+$/, '');
}
