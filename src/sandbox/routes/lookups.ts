import { notFound } from '../arm-errors.js';
import type { ArmRequest } from '../arm-router.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxVault } from '../world.js';

/** Only the seeded subscription exists. */
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
  if (!rg) {
    throw notFound(
      'ResourceGroupNotFound',
      `Resource group '${params.resourceGroupName}' could not be found.`,
    );
  }
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
      `The Resource 'Microsoft.RecoveryServices/vaults/${params.vaultName}' under resource group '${params.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }
  return { vault, key };
}

/** The api-version the client asked for. */
export function apiVersionOf(req: ArmRequest): string {
  return encodeURIComponent(req.url.searchParams.get('api-version') ?? '2023-06-01');
}

/** `Retry-After` on every 202 of a protected item operation (PowerShell records, 2022–2025). */
export const ITEM_RETRY_AFTER_SECONDS = 60;

/**
 * Headers of a 202: absolute URLs on the sandbox itself, with the caller's api-version.
 * `retryAfter`: `true` for ARM's own resource group and vault operations (the sandbox's setting);
 * `'item'` for Azure Backup's item operations, which say 60 s as recorded, with `retry-after-ms`
 * the same wait in real time on the sandbox's clock (its speed and operation time scale; a stopped
 * clock is stepped by hand, so it says the ARM setting); `false` where the records carry none.
 */
export function acceptedHeaders(
  ctx: SandboxContext,
  req: ArmRequest,
  paths: { asyncOperation?: string; location?: string },
  o: { retryAfter: boolean | 'item' } = { retryAfter: true },
): Record<string, string> {
  const abs = (path: string) => `${req.baseUrl}${path}?api-version=${apiVersionOf(req)}`;
  return {
    ...(paths.asyncOperation ? { 'azure-asyncoperation': abs(paths.asyncOperation) } : {}),
    ...(paths.location ? { location: abs(paths.location) } : {}),
    ...(o.retryAfter === 'item'
      ? itemRetryAfter(ctx)
      : o.retryAfter
        ? { 'retry-after': String(ctx.asyncRetryAfterSeconds) }
        : {}),
  };
}

function itemRetryAfter(ctx: SandboxContext): Record<string, string> {
  const simulatedMs = ctx.operations.scaled(ITEM_RETRY_AFTER_SECONDS * 1000);
  const realMs =
    ctx.clock.speed > 0 ? Math.round(simulatedMs / ctx.clock.speed) : ctx.asyncRetryAfterSeconds * 1000;
  return { 'retry-after': String(ITEM_RETRY_AFTER_SECONDS), 'retry-after-ms': String(realMs) };
}

/** The path a request came in on, without its query or a trailing slash. */
export function pathOf(url: URL): string {
  return url.pathname.replace(/\/+$/, '');
}
