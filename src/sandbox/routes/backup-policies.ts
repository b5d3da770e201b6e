import { isAppError, validatePolicySpec } from '../../domain/index.js';
import { badRequest, conflict, notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { policySpecFromJson } from '../policy-json.js';
import { VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxPolicy } from '../world.js';
import { requireVault } from './lookups.js';

/** Backup policies of a vault; every PUT is checked against the domain's limits. */
export function addPolicyRoutes(router: ArmRouter, ctx: SandboxContext): void {
  const { world } = ctx;

  router.add('GET', `${VAULT}/backupPolicies`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const value = [...world.policies.values()]
      .filter((p) => p.vaultKey === key)
      .map((p) => policyJson(ctx, vault.id, p));
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
    if (!properties || typeof properties !== 'object')
      throw badRequest('BMSUserErrorInvalidPolicyInput', 'The policy has no properties.');
    let kind: SandboxPolicy['kind'];
    try {
      const spec = policySpecFromJson(name, properties as Record<string, unknown>);
      kind = validatePolicySpec(spec).kind;
    } catch (e) {
      if (isAppError(e)) throw badRequest('BMSUserErrorInvalidPolicyInput', e.message);
      throw e;
    }
    const existing = world.policies.get(world.policyKey(key, name));
    if (existing && existing.kind === 'Enhanced' && kind === 'Standard' && world.protectedCount(key) > 0) {
      throw badRequest(
        'BMSUserErrorPolicyTypeDowngradeNotAllowed',
        'An Enhanced policy cannot be changed into a standard one.',
      );
    }
    const policy: SandboxPolicy = {
      vaultKey: key,
      name: existing?.name ?? name,
      kind,
      properties: properties as Record<string, unknown>,
    };
    world.policies.set(world.policyKey(key, name), policy);
    return { status: 200, body: policyJson(ctx, vault.id, policy) };
  });
  router.add('DELETE', `${VAULT}/backupPolicies/{policyName}`, (req) => {
    const { key } = requireVault(ctx, req.params);
    const policy = requirePolicy(ctx, key, req.params.policyName!);
    const inUse = [...world.protectedItems.values()].some(
      (i) => i.vaultKey === key && i.policyName.toLowerCase() === policy.name.toLowerCase(),
    );
    if (inUse)
      throw conflict(
        'BMSUserErrorPolicyInUse',
        `Policy ${policy.name} protects items and cannot be deleted.`,
      );
    world.policies.delete(world.policyKey(key, policy.name));
    return { status: 200 };
  });
}

export function requirePolicy(ctx: SandboxContext, vaultKey: string, name: string): SandboxPolicy {
  const p = ctx.world.policies.get(ctx.world.policyKey(vaultKey, name));
  if (!p) throw notFound('BMSUserErrorPolicyNotFound', `Policy '${name}' was not found in the vault.`);
  return p;
}

function policyJson(ctx: SandboxContext, vaultId: string, p: SandboxPolicy): Record<string, unknown> {
  const count = [...ctx.world.protectedItems.values()].filter(
    (i) =>
      i.vaultKey === p.vaultKey &&
      i.policyName.toLowerCase() === p.name.toLowerCase() &&
      i.state === 'Protected',
  ).length;
  return {
    id: `${vaultId}/backupPolicies/${p.name}`,
    name: p.name,
    type: 'Microsoft.RecoveryServices/vaults/backupPolicies',
    properties: { ...p.properties, protectedItemsCount: count },
  };
}
