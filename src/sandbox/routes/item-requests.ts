import { notFound } from '../arm-errors.js';
import type { ArmRequest, ArmResponse } from '../arm-router.js';
import type { OperationTiming } from '../async-operations.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { OperationOutcome, SandboxProtectedItem } from '../world.js';
import { acceptedHeaders, pathOf } from './lookups.js';

/** What the protected item routes share: finding the item, reading the body, answering 202. */

/** Azure VMs live in the one fabric called `Azure`. */
export function requireFabric(params: Record<string, string>): void {
  if (params.fabricName?.toLowerCase() !== 'azure') {
    throw notFound('BMSUserErrorObjectNotFound', `Fabric '${params.fabricName}' was not found in the vault.`);
  }
}

/** The protected item the URL names (any case, resource group possibly lower-cased). */
export function requireItem(
  ctx: SandboxContext,
  vaultKey: string,
  params: Record<string, string>,
): SandboxProtectedItem {
  requireFabric(params);
  const item = ctx.world.findItem(vaultKey, params.containerName!, params.protectedItemName!);
  if (!item) throw itemNotFound(params.protectedItemName!);
  return item;
}

/** Azure's answer for an item the vault does not have (seen live: azure-rest-api-specs issue 23842). */
export function itemNotFound(name: string): ReturnType<typeof notFound> {
  return notFound(
    'BMSUserErrorDataSourceObjectNotFound',
    `Item not found. Selected item might have been deleted. Please check if item is registered to the vault. (${name})`,
  );
}

/** `properties` of a request body, or nothing. */
export function propertiesOf(body: unknown): Record<string, unknown> {
  const p = (body as { properties?: unknown } | undefined)?.properties;
  return p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

/**
 * Starts an operation and answers 202 with the item's operation status and result URLs, as
 * recorded: empty body; `Retry-After: 60` on enable, stop, undelete and backup now (PowerShell
 * records), none on a restore (az CLI records; no PowerShell restore read says otherwise).
 */
export function acceptedForItem(
  ctx: SandboxContext,
  req: ArmRequest,
  outcome: OperationOutcome,
  timing?: OperationTiming,
  operationId?: string,
  retryAfter: 'item' | false = 'item',
): ArmResponse {
  const op = ctx.operations.start(outcome, timing, operationId);
  // A backup's and a restore's URLs are the item's (…/protectedItems/{item}/operationsStatus/{id}).
  const itemPath = pathOf(req.url).replace(/\/(?:backup|recoveryPoints\/[^/]+\/restore)$/i, '');
  return {
    status: 202,
    headers: acceptedHeaders(
      ctx,
      req,
      {
        asyncOperation: `${itemPath}/operationsStatus/${op.id}`,
        location: `${itemPath}/operationResults/${op.id}`,
      },
      { retryAfter },
    ),
  };
}
