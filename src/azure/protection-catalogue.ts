import type { Policy, PolicySpec, RecoveryPoint, Vault, VmFacts, VmStatus } from '../domain/index.js';
import {
  AZURE_FABRIC,
  AppError,
  assertName,
  assertVaultLocation,
  checkVmAgent,
  closestMatches,
  command,
  fact,
  normalizeRegion,
  template,
  validatePolicySpec,
  vmEligibility,
} from '../domain/index.js';
import type { VaultTarget } from './backup-service.js';
import { translateAzureError } from './azure-error-translation.js';
import type { AzureScope } from './azure-scope.js';
import { IAAS_FILTER } from './azure-scope.js';
import type { ItemRef } from './item-mapping.js';
import { itemRefOf, protectableNamesOf, recoveryPointOf } from './item-mapping.js';
import { followOperation, followOperationResult } from './operation-follower.js';
import { fromAzurePolicy, toAzurePolicy } from './policy-mapping.js';
import { ResponseCapture } from './response-capture.js';
import { fromAzureVault } from './vault-mapping.js';

export interface CatalogueSettings {
  defaultVault: { name: string; resourceGroup: string };
  /** Name prefix of the resource group where Enhanced policies keep restore point collections. */
  restorePointResourceGroupPrefix?: string;
}

type VaultName = { name: string; resourceGroup: string };

/**
 * What Azure Backup holds for the subscription: vaults, their VM policies, protected and
 * protectable items, and recovery points. Reads, plus creating a vault or a policy.
 */
export class ProtectionCatalogue {
  constructor(
    private readonly s: AzureScope,
    private readonly settings: CatalogueSettings,
  ) {}

  // ---- Vaults ----------------------------------------------------------------------------

  /** The vault a call names, or the configured default one. */
  vaultRef(target?: VaultTarget): VaultName {
    const name = target?.vault ?? this.settings.defaultVault.name;
    const resourceGroup = target?.resourceGroup ?? this.settings.defaultVault.resourceGroup;
    if (!name || !resourceGroup) {
      throw new AppError('validation.vault', 'No vault was named and no default vault is configured.', {
        suggestions: [
          { kind: 'setting', name: 'AZURE_VAULT_NAME' },
          { kind: 'setting', name: 'AZURE_RESOURCE_GROUP' },
          template('create vault <name> in <region>'),
        ],
      });
    }
    return { name: assertName('vault', name), resourceGroup: assertName('resourceGroup', resourceGroup) };
  }

  async readVault(target?: VaultTarget): Promise<Vault> {
    const ref = this.vaultRef(target);
    const vault = await this.tryReadVault(ref.name, ref.resourceGroup);
    if (!vault) throw vaultNotFound(ref);
    return vault;
  }

  async tryReadVault(name: string, resourceGroup: string): Promise<Vault | undefined> {
    try {
      return fromAzureVault(
        await this.s.clients.vaults.vaults.get(resourceGroup, name),
        this.s.subscriptionId,
      );
    } catch (e) {
      const t = translateAzureError(e);
      if (t.statusCode === 404) return undefined;
      throw t;
    }
  }

  async listVaults(): Promise<Vault[]> {
    const out: Vault[] = [];
    for await (const v of this.s.clients.vaults.vaults.listBySubscriptionId()) {
      const vault = fromAzureVault(v, this.s.subscriptionId);
      if (vault) out.push(vault);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Rule 1: never in an Extended Zone. A vault of that name already there is returned as is. */
  async createVault(input: {
    name: string;
    location: string;
    resourceGroup?: string;
  }): Promise<{ vault: Vault; created: boolean }> {
    const name = assertName('vault', input.name);
    const resourceGroup = assertName(
      'resourceGroup',
      input.resourceGroup ?? this.settings.defaultVault.resourceGroup,
    );
    const location = assertVaultLocation(input.location);
    const rgs = this.s.clients.resources.resourceGroups;
    if (!(await rgs.checkExistence(resourceGroup)).body) {
      await rgs.createOrUpdate(resourceGroup, { location });
    } else {
      const existing = await this.tryReadVault(name, resourceGroup);
      if (existing) {
        if (normalizeRegion(existing.location) !== location) {
          throw new AppError(
            'validation.vault_exists',
            `Vault ${name} already exists in resource group ${resourceGroup}, in ${existing.location} (not ${location}).`,
            { suggestions: [template(`create vault <another name> in ${location}`)] },
          );
        }
        return { vault: existing, created: false };
      }
    }
    const created = await this.s.clients.vaults.vaults.beginCreateOrUpdateAndWait(
      resourceGroup,
      name,
      { location, sku: { name: 'Standard' }, properties: { publicNetworkAccess: 'Enabled' } },
      { updateIntervalInMs: this.s.lroPollIntervalMs },
    );
    const vault = fromAzureVault(created, this.s.subscriptionId);
    if (!vault)
      throw new AppError('azure.unexpected_response', `Azure created vault ${name} but did not describe it.`);
    return { vault, created: true };
  }

  // ---- Policies --------------------------------------------------------------------------

  async readPolicies(v: VaultName): Promise<Policy[]> {
    const out: Policy[] = [];
    for await (const r of this.s.clients.backup.backupPolicies.list(v.name, v.resourceGroup, {
      filter: IAAS_FILTER,
    })) {
      const p = fromAzurePolicy(r);
      if (p) out.push(p);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async readPolicy(name: string, v: VaultName): Promise<Policy> {
    assertName('policy', name);
    try {
      const p = fromAzurePolicy(
        await this.s.clients.backup.protectionPolicies.get(v.name, v.resourceGroup, name),
      );
      if (p) return p;
    } catch (e) {
      if (translateAzureError(e).statusCode !== 404) throw e;
    }
    const names = (await this.readPolicies(v)).map((p) => p.name);
    const near = closestMatches(name, names);
    throw new AppError(
      'validation.policy_not_found',
      `Vault ${v.name} has no VM backup policy called ${name}.`,
      {
        suggestions:
          names.length === 0
            ? [template('create policy …')]
            : near.length > 0
              ? [{ kind: 'choose', what: 'policy', names: near, near: true }]
              : [{ kind: 'choose', what: 'policy', names, near: false }],
      },
    );
  }

  /** Without a named policy: an Enhanced one for Extended Zone VMs, else DefaultPolicy. */
  async defaultPolicyFor(vm: VmFacts, vault: Vault): Promise<Policy> {
    const policies = await this.readPolicies(vault);
    const candidates = vm.extendedZone ? policies.filter((p) => p.kind === 'Enhanced') : policies;
    const pick =
      candidates.find((p) => p.name === (vm.extendedZone ? 'EnhancedPolicy' : 'DefaultPolicy')) ??
      candidates[0];
    if (!pick) {
      throw new AppError(
        'validation.no_policy',
        vm.extendedZone
          ? `Vault ${vault.name} has no Enhanced policy, and ${vm.name} (Extended Zone ${vm.extendedZone}) needs one.`
          : `Vault ${vault.name} has no VM backup policy yet.`,
        {
          suggestions: [template('create policy daily-enhanced enhanced daily at 22:00 keep daily 30 days')],
        },
      );
    }
    return pick;
  }

  async createPolicy(spec: PolicySpec, target?: VaultTarget): Promise<Policy> {
    const def = validatePolicySpec(spec);
    const v = this.vaultRef(target);
    const backup = this.s.clients.backup;
    const capture = new ResponseCapture();
    await backup.protectionPolicies.createOrUpdate(
      v.name,
      v.resourceGroup,
      def.name,
      toAzurePolicy(def, this.settings.restorePointResourceGroupPrefix ?? 'AzureBackupRG_'),
      { onResponse: capture.onResponse },
    );
    await followOperation(
      capture,
      (id, c) =>
        backup.protectionPolicyOperationStatuses.get(v.name, v.resourceGroup, def.name, id, {
          onResponse: c.onResponse,
        }),
      this.s.follow,
      `create policy ${def.name}`,
    );
    return this.readPolicy(def.name, v);
  }

  // ---- Protected and protectable items ---------------------------------------------------

  /** Protected VMs of the vault by VM id (lower case), with their policy's kind. */
  async readProtectedItems(vault: Vault): Promise<Map<string, ItemRef>> {
    const [resources, policies] = await Promise.all([
      collect(
        this.s.clients.backup.backupProtectedItems.list(vault.name, vault.resourceGroup, {
          filter: IAAS_FILTER,
        }),
      ),
      // API 2023-06-01 items do not say their policy's type: read it from the policies.
      this.readPolicies(vault),
    ]);
    const kinds = new Map(policies.map((p) => [p.name.toLowerCase(), p.kind]));
    const items = new Map<string, ItemRef>();
    for (const r of resources) {
      const ref = itemRefOf(r, vault);
      if (!ref) continue;
      ref.protection.policyKind = kinds.get(ref.protection.policyName?.toLowerCase() ?? '');
      items.set(ref.sourceResourceId.toLowerCase(), ref);
    }
    return items;
  }

  /** The container and item names Azure Backup knows the VM by, discovering it if needed. */
  async findProtectable(vm: VmFacts, vault: Vault): Promise<{ containerName: string; itemName: string }> {
    const found = await this.readProtectable(vm, vault);
    if (found) return found;
    const backup = this.s.clients.backup;
    const capture = new ResponseCapture();
    await backup.protectionContainers.refresh(vault.name, vault.resourceGroup, AZURE_FABRIC, {
      onResponse: capture.onResponse,
    });
    await followOperationResult(
      capture,
      (id, c) =>
        backup.protectionContainerRefreshOperationResults.get(
          vault.name,
          vault.resourceGroup,
          AZURE_FABRIC,
          id,
          { onResponse: c.onResponse },
        ),
      this.s.follow,
      `discover ${vm.name}`,
    );
    const after = await this.readProtectable(vm, vault);
    if (after) return after;
    throw new AppError(
      'validation.vm_not_discoverable',
      `Azure Backup cannot see ${vm.name} from vault ${vault.name}, even after refreshing.`,
      { suggestions: [fact('vm-in-other-vault')] },
    );
  }

  private async readProtectable(
    vm: VmFacts,
    vault: Vault,
  ): Promise<{ containerName: string; itemName: string } | undefined> {
    for await (const r of this.s.clients.backup.backupProtectableItems.list(vault.name, vault.resourceGroup, {
      filter: IAAS_FILTER,
    })) {
      const p = r.properties;
      const vmId = p && 'virtualMachineId' in p ? p.virtualMachineId : undefined;
      // The protectable item's `name` is `iaasvmcontainerv2;rg;vm`, not the protected item's name:
      // both names are the id's segments, as az CLI takes them.
      const names = r.id ? protectableNamesOf(r.id) : undefined;
      if (names && vmId?.toLowerCase() === vm.id.toLowerCase()) return names;
    }
    return undefined;
  }

  // ---- Recovery points -------------------------------------------------------------------

  /** A protected item's points, newest first, with their tiers. */
  async readRecoveryPoints(vault: Vault, item: ItemRef): Promise<RecoveryPoint[]> {
    const out: RecoveryPoint[] = [];
    for await (const rp of this.s.clients.backup.recoveryPoints.list(
      vault.name,
      vault.resourceGroup,
      AZURE_FABRIC,
      item.containerName,
      item.itemName,
    )) {
      const point = recoveryPointOf(rp);
      if (point) out.push(point);
    }
    return out.sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
  }
}

/** A VM as a vault sees it: its protection there, whether the vault may take it, its agent. */
export function statusOf(vm: VmFacts, vault: Vault, items: Map<string, ItemRef>): VmStatus {
  return {
    ...vm,
    protection: items.get(vm.id.toLowerCase())?.protection ?? { state: 'NotProtected' },
    eligibility: vmEligibility(vm, vault),
    agent: checkVmAgent(vm),
  };
}

export function vaultNotFound(v: VaultName): AppError {
  return new AppError(
    'validation.vault_not_found',
    `There is no vault ${v.name} in resource group ${v.resourceGroup}.`,
    { suggestions: [template(`create vault ${v.name} in <region>`), command('vaults')] },
  );
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}
