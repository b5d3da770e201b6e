import { isAppError, validatePolicySpec } from '../../domain/index.js';
import { badRequest, conflict, notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { parseEqFilter } from '../odata-filter.js';
import { policySpecFromJson } from '../policy-json.js';
import { VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxPolicy } from '../world.js';
import { followsPolicy } from '../world.js';
import { requireVault } from './lookups.js';

/** Backup policies of a vault; every PUT is checked against the domain's limits. */
export function addPolicyRoutes(router: ArmRouter, ctx: SandboxContext): void {
  const { world } = ctx;

  router.add('GET', `${VAULT}/backupPolicies`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const filter = parseEqFilter(req.url.searchParams.get('$filter'), [
      'backupManagementType',
      'workloadType',
    ]);
    const type = filter.get('backupmanagementtype');
    const workload = filter.get('workloadtype');
    // Every policy the sandbox holds is an Azure VM policy.
    const iaas =
      (type === undefined || type === 'AzureIaasVM') && (workload === undefined || workload === 'VM');
    const value = iaas
      ? [...world.policies.values()]
          .filter((p) => p.vaultKey === key)
          .map((p) => policyJson(ctx, vault.id, p))
      : [];
    return { status: 200, body: { value } };
  });
  router.add('GET', `${VAULT}/backupPolicies/{policyName}`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    return { status: 200, body: policyJson(ctx, vault.id, requirePolicy(ctx, key, req.params.policyName!)) };
  });

  router.add('PUT', `${VAULT}/backupPolicies/{policyName}`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const name = req.params.policyName!;
    const properties = (req.body as { properties?: unknown } | undefined)?.properties;
    if (!properties || typeof properties !== 'object' || Array.isArray(properties)) {
      throw badRequest('BMSUserErrorInvalidPolicyInput', 'The policy has no properties.');
    }
    const props = properties as Record<string, unknown>;
    let definition: ReturnType<typeof validatePolicySpec>;
    try {
      definition = validatePolicySpec(policySpecFromJson(name, props));
    } catch (e) {
      if (isAppError(e)) throw badRequest('BMSUserErrorInvalidPolicyInput', e.message);
      throw e;
    }
    const existing = world.policies.get(world.policyKey(key, name));
    const users = existing ? itemsUsing(ctx, existing) : 0;
    // Rule 3: the VMs on an Enhanced policy cannot end up on a standard one.
    if (existing?.kind === 'Enhanced' && definition.kind === 'Standard' && users > 0) {
      throw badRequest(
        'BMSUserErrorPolicyTypeDowngradeNotAllowed',
        `Policy ${existing.name} is an Enhanced policy protecting ${users} item(s); it cannot become a standard policy, as a VM cannot move from an Enhanced policy back to a standard one.`,
      );
    }
    const { protectedItemsCount: _ignored, ...given } = props;
    const policy: SandboxPolicy = {
      vaultKey: key,
      name: existing?.name ?? name,
      kind: definition.kind,
      // Stored as Azure returns it: the defaults it fills in are explicit.
      properties: {
        ...given,
        backupManagementType: 'AzureIaasVM',
        policyType: definition.kind === 'Enhanced' ? 'V2' : 'V1',
        instantRpRetentionRangeInDays: definition.instantRestoreDays,
        timeZone: definition.timeZone,
      },
    };
    world.policies.set(world.policyKey(key, name), policy);
    return { status: 200, body: policyJson(ctx, vault.id, policy) };
  });

  router.add('DELETE', `${VAULT}/backupPolicies/{policyName}`, (req) => {
    const { key } = requireVault(ctx, req.params);
    const policy = requirePolicy(ctx, key, req.params.policyName!);
    const users = itemsUsing(ctx, policy);
    if (users > 0) {
      throw conflict(
        'BMSUserErrorPolicyInUse',
        `Policy ${policy.name} is associated with ${users} item(s) and cannot be deleted. Move them to another policy or stop their protection first.`,
      );
    }
    world.policies.delete(world.policyKey(key, policy.name));
    return { status: 200 };
  });
}

export function requirePolicy(ctx: SandboxContext, vaultKey: string, name: string): SandboxPolicy {
  const p = ctx.world.policies.get(ctx.world.policyKey(vaultKey, name));
  if (!p) throw notFound('BMSUserErrorPolicyNotFound', `Policy '${name}' was not found in the vault.`);
  return p;
}

/** Items the policy protects now (a stopped item no longer follows its policy). */
function itemsUsing(ctx: SandboxContext, p: SandboxPolicy): number {
  return [...ctx.world.protectedItems.values()].filter(
    (i) =>
      i.vaultKey === p.vaultKey && i.policyName.toLowerCase() === p.name.toLowerCase() && followsPolicy(i),
  ).length;
}

function policyJson(ctx: SandboxContext, vaultId: string, p: SandboxPolicy): Record<string, unknown> {
  const count = itemsUsing(ctx, p);
  return {
    id: `${vaultId}/backupPolicies/${p.name}`,
    name: p.name,
    type: 'Microsoft.RecoveryServices/vaults/backupPolicies',
    properties: { ...p.properties, protectedItemsCount: count },
  };
}
