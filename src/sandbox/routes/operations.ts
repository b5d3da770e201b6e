import { ArmError, notFound } from '../arm-errors.js';
import type { ArmRequest, ArmResponse, ArmRouter } from '../arm-router.js';
import { itemJson } from '../protection-json.js';
import { ITEM, VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import { requireFabric } from './item-requests.js';
import { acceptedHeaders, pathOf, requireVault } from './lookups.js';

/**
 * Where a 202 from Azure Backup points: an operation status (`InProgress`, then `Succeeded` with
 * the job id, or `Failed` with the error) and an operation result (202 while running, then the
 * outcome), for an item and for the vault.
 */
export function addOperationRoutes(router: ArmRouter, ctx: SandboxContext): void {
  router.add('GET', `${ITEM}/operationsStatus/{operationId}`, (req) => {
    requireVault(ctx, req.params);
    requireFabric(req.params);
    return operationStatus(ctx, req);
  });
  router.add('GET', `${ITEM}/operationResults/{operationId}`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    requireFabric(req.params);
    const itemPath = pathOf(req.url).replace(/\/operationResults\/[^/]+$/i, '');
    return operationResult(
      ctx,
      req,
      pathOf(req.url),
      () => {
        // Done: the item as it now is (200), or nothing when it is gone (204).
        const item = ctx.world.findItem(key, req.params.containerName!, req.params.protectedItemName!);
        return item ? itemJson(ctx, vault, item) : undefined;
      },
      `${itemPath}/operationsStatus/${req.params.operationId}`,
      { retryAfter: false },
    );
  });
  router.add('GET', `${VAULT}/backupOperations/{operationId}`, (req) => {
    requireVault(ctx, req.params);
    return operationStatus(ctx, req);
  });
  router.add('GET', `${VAULT}/backupOperationResults/{operationId}`, (req) => {
    const { vault } = requireVault(ctx, req.params);
    return operationResult(
      ctx,
      req,
      pathOf(req.url),
      () => undefined,
      `${vault.id}/backupOperations/${req.params.operationId}`,
      { retryAfter: false },
    );
  });
}

export function operationStatus(ctx: SandboxContext, req: ArmRequest): ArmResponse {
  const read = ctx.operations.read(req.params.operationId!);
  if (!read) throw operationNotFound(req.params.operationId!);
  // Recorded: always 200, no Retry-After, while running and after.
  return { status: 200, body: ctx.operations.statusBody(read.op, read.running) };
}

/**
 * ARM's Location polling: 202 (pointing at itself) while running; when done, 200 with `result()`
 * or 204 without one; a failed operation answers its error.
 */
export function operationResult(
  ctx: SandboxContext,
  req: ArmRequest,
  selfPath: string,
  result: () => unknown,
  asyncOperationPath?: string,
  o: { retryAfter: boolean } = { retryAfter: true },
): ArmResponse {
  const read = ctx.operations.read(req.params.operationId!);
  if (!read) throw operationNotFound(req.params.operationId!);
  if (read.running) {
    return {
      status: 202,
      headers: acceptedHeaders(
        ctx,
        req,
        { location: selfPath, ...(asyncOperationPath ? { asyncOperation: asyncOperationPath } : {}) },
        o,
      ),
    };
  }
  if ('error' in read.op.outcome) {
    throw new ArmError(400, read.op.outcome.error.code, read.op.outcome.error.message);
  }
  const body = result();
  return body === undefined ? { status: 204 } : { status: 200, body };
}

function operationNotFound(id: string): ArmError {
  return notFound('BMSUserErrorOperationNotFound', `Operation '${id}' was not found.`);
}
