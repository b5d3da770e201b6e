import { checkName, isExtendedZone, normalizeRegion, parentRegionOf } from '../../domain/index.js';
import { badRequest, notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { isAzureRegion } from '../azure-regions.js';
import { RG, SUB, VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxVault } from '../world.js';
import { SOFT_DELETE_DAYS_RANGE } from '../world.js';
import { acceptedHeaders, requireResourceGroup, requireSubscription, requireVault } from './lookups.js';

const VAULT_TYPE = 'Microsoft.RecoveryServices/vaults';
/** A new vault was Provisioning for about a minute (63 s in test_backup_softdelete.yaml). */
const RECORDED_VAULT_CREATE_SECONDS = 63;

/** Microsoft.RecoveryServices vaults (Vaults_CreateOrUpdate_PUTVault.json shapes). */
export function addVaultRoutes(router: ArmRouter, ctx: SandboxContext): void {
  const { world } = ctx;

  router.add('GET', `${SUB}/providers/Microsoft.RecoveryServices/vaults`, (req) => {
    requireSubscription(ctx, req.params);
    return { status: 200, body: { value: [...world.vaults.values()].map(vaultJson) } };
  });
  router.add('GET', `${RG}/providers/Microsoft.RecoveryServices/vaults`, (req) => {
    const rg = requireResourceGroup(ctx, req.params);
    const value = [...world.vaults.values()].filter(
      (v) => v.resourceGroup.toLowerCase() === rg.name.toLowerCase(),
    );
    return { status: 200, body: { value: value.map(vaultJson) } };
  });
  router.add('GET', VAULT, (req) => ({ status: 200, body: vaultJson(requireVault(ctx, req.params).vault) }));

  // 201 (new) or 200 (update) with the vault, plus an Azure-AsyncOperation the LRO poller follows.
  router.add('PUT', VAULT, (req) => {
    const rg = requireResourceGroup(ctx, req.params);
    const name = req.params.vaultName!;
    const nameProblem = checkName('vault', name);
    if (nameProblem) throw badRequest('InvalidResourceName', nameProblem);
    const raw = (req.body as { location?: unknown } | undefined)?.location;
    if (typeof raw !== 'string' || !raw.trim()) {
      throw badRequest('LocationRequired', 'The location property is required for this definition.');
    }
    const location = vaultLocation(raw);
    const key = world.vaultKey(rg.name, name);
    const existing = world.vaults.get(key);
    if (existing && existing.location !== location) {
      throw badRequest(
        'InvalidResourceLocation',
        `The resource '${name}' already exists in location '${existing.location}' in resource group '${rg.name}'. A resource with the same name cannot be created in location '${location}'.`,
      );
    }
    const retentionDays = softDeleteRetentionOf(req.body);
    const vault = existing ?? world.addVault(rg.name, name, location);
    if (retentionDays !== undefined) vault.softDeleteRetentionDays = retentionDays;
    // Recorded (test_backup_softdelete, 2026): 201 `Provisioning` with an Azure-AsyncOperation and no
    // Location or Retry-After; Succeeded about a minute later.
    if (!existing) vault.provisioning = true;
    const op = ctx.operations.start(
      {},
      {
        durationMs: existing ? 0 : RECORDED_VAULT_CREATE_SECONDS * 1000,
        onDone: () => {
          vault.provisioning = false;
        },
      },
    );
    return {
      status: existing ? 200 : 201,
      body: vaultJson(vault),
      headers: acceptedHeaders(
        ctx,
        req,
        { asyncOperation: `${vault.id}/operationStatus/${op.id}` },
        { retryAfter: false },
      ),
    };
  });

  router.add('DELETE', VAULT, (req) => {
    const { key } = requireVault(ctx, req.params);
    if (world.protectedCount(key) > 0) {
      // As quoted from a live answer (azure-docs issue 42016; a 400 there).
      throw badRequest(
        'ServiceResourceNotEmptyWithContainerDetails',
        `Vault cannot be deleted as there are existing resources within the vault. Unregister the following containers associated with this vault before proceeding for deletion : ${[
          ...world.protectedItems.values(),
        ]
          .filter((i) => i.vaultKey === key && i.softDeletedAtMs === undefined)
          .map((i) => i.containerName)
          .join(', ')}\nUnregister all containers from the vault and then retry to delete vault.`,
      );
    }
    world.removeVault(key);
    return { status: 200 };
  });

  router.add('GET', `${VAULT}/operationStatus/{operationId}`, (req) => {
    const { vault } = requireVault(ctx, req.params);
    const read = ctx.operations.read(req.params.operationId!);
    if (!read) throw notFound('OperationNotFound', `Operation '${req.params.operationId}' was not found.`);
    const { op, running } = read;
    return {
      status: 200,
      body: {
        id: `${vault.id}/operationStatus/${op.id}`,
        name: op.id,
        status: running ? 'InProgress' : 'Succeeded',
        startTime: new Date(op.startMs).toISOString(),
        ...(running ? {} : { endTime: new Date(op.endMs ?? ctx.clock.now().getTime()).toISOString() }),
      },
    };
  });
}

/** Rule 1: a vault lives in a region ("West US" → westus), never in an Extended Zone. */
function vaultLocation(raw: string): string {
  const location = normalizeRegion(raw);
  if (isExtendedZone(location)) {
    throw badRequest(
      'LocationNotAvailableForResourceType',
      `The provided location '${location}' is an Extended Zone and is not available for resource type '${VAULT_TYPE}'. Create the vault in the parent region '${parentRegionOf(location)}': it protects the zone's VMs from there.`,
    );
  }
  if (!isAzureRegion(location)) {
    throw badRequest(
      'LocationNotAvailableForResourceType',
      `The provided location '${raw}' is not available for resource type '${VAULT_TYPE}'.`,
    );
  }
  return location;
}

/**
 * `properties.securitySettings.softDeleteSettings.softDeleteRetentionPeriodInDays`, when the body
 * sets it: 14–180 days. The error for another value is in no recording; the code is ARM's generic one.
 */
function softDeleteRetentionOf(body: unknown): number | undefined {
  const days = (
    body as
      | {
          properties?: {
            securitySettings?: { softDeleteSettings?: { softDeleteRetentionPeriodInDays?: unknown } };
          };
        }
      | undefined
  )?.properties?.securitySettings?.softDeleteSettings?.softDeleteRetentionPeriodInDays;
  if (days === undefined) return undefined;
  const { min, max } = SOFT_DELETE_DAYS_RANGE;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < min || days > max) {
    throw badRequest(
      'BadRequest',
      `softDeleteRetentionPeriodInDays must be a whole number of days from ${min} to ${max}; got ${String(days)}.`,
    );
  }
  return days;
}

function vaultJson(v: SandboxVault): Record<string, unknown> {
  return {
    id: v.id,
    name: v.name,
    type: VAULT_TYPE,
    location: v.location,
    etag: `W/"datetime'${encodeURIComponent(new Date(0).toISOString())}'"`,
    sku: { name: 'Standard' },
    properties: {
      provisioningState: v.provisioning ? 'Provisioning' : 'Succeeded',
      publicNetworkAccess: 'Enabled',
      // As recorded: the request says AlwaysOn, the answer AlwaysON.
      securitySettings: {
        softDeleteSettings: {
          softDeleteRetentionPeriodInDays: v.softDeleteRetentionDays,
          softDeleteState: v.softDelete ? 'AlwaysON' : 'Disabled',
          enhancedSecurityState: v.softDelete ? 'AlwaysON' : 'Disabled',
        },
        multiUserAuthorization: 'Disabled',
      },
    },
  };
}
