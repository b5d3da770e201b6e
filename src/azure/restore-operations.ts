import type { OperationWatch, RestoreInput, RestoreResult, Vault, VmFacts } from '../domain/index.js';
import {
  AZURE_FABRIC,
  AppError,
  assertName,
  choosePoint,
  command,
  isAppError,
  normalizeRegion,
} from '../domain/index.js';
import type { BackupOperations } from './backup-operations.js';
import type { RestoreTargets, VaultTarget } from './backup-service.js';
import { translateAzureError } from './azure-error-translation.js';
import type { AzureScope } from './azure-scope.js';
import type { ItemRef } from './item-mapping.js';
import { resourceGroupOfId } from './item-mapping.js';
import type { JobReads } from './job-reads.js';
import { requiredJobId } from './operation-follower.js';
import type { ProtectionCatalogue } from './protection-catalogue.js';
import { ResponseCapture } from './response-capture.js';
import type { RestorePlan } from './restore-request.js';
import {
  resourceGroupIdOf,
  restoreRequestBody,
  storageAccountIdOf,
  subnetIdOf,
  virtualNetworkIdOf,
} from './restore-request.js';
import type { RestoreSettings } from './azure-settings.js';
import type { VmDirectory } from './vm-directory.js';

/** api-versions of the generic resources API reads of restore targets (az CLI uses older ones). */
const STORAGE_API_VERSION = '2023-01-01';
const NETWORK_API_VERSION = '2023-09-01';

/** A restore target read by id: absent when it does not exist. */
interface TargetResource {
  id?: string;
  name?: string;
  location: string;
  properties?: unknown;
}

/** Restore from a recovery point: as a new VM, as disks, or replacing the disks of the VM. */
export class RestoreOperations {
  constructor(
    private readonly s: AzureScope,
    private readonly settings: RestoreSettings,
    private readonly catalogue: ProtectionCatalogue,
    private readonly vms: VmDirectory,
    private readonly jobs: JobReads,
    private readonly operations: BackupOperations,
  ) {}

  /** `watch`: told of the accepted restore before it is followed (an approved replace-disks run). */
  async restore(
    input: RestoreInput & VaultTarget,
    action: string,
    watch?: OperationWatch,
  ): Promise<RestoreResult> {
    const vault = await this.catalogue.readVault(input);
    const [vms, items] = await Promise.all([this.vms.readVms(), this.catalogue.readProtectedItems(vault)]);
    const { item, vm } = restorableItem(input.vm, vms, items, vault);
    if (input.kind === 'OriginalLocation' && !vm) {
      // Docs: replacing disks needs the current VM; a deleted VM comes back as a new one.
      throw new AppError(
        'validation.vm_not_found',
        `${input.vm} no longer exists, so its disks cannot be replaced.`,
        { suggestions: [command(`restore ${input.vm} from latest as new vm ${input.vm}`)] },
      );
    }
    const point = choosePoint(await this.catalogue.readRecoveryPoints(vault, item), input.point, input.vm);
    const plan: RestorePlan = {
      kind: input.kind,
      recoveryPointId: point.id,
      sourceResourceId: item.sourceResourceId,
      storageAccountId: await this.stagingAccountFor(vault),
      region: vault.location,
    };
    const sourceGroup = resourceGroupOfId(item.sourceResourceId);
    const targetGroup = input.targetResourceGroup ?? sourceGroup;
    if (input.kind === 'OriginalLocation') {
      // As az CLI does: an Extended Zone VM's point is restored into its zone.
      if (point.extendedZone) plan.extendedZone = point.extendedZone;
    } else {
      // New VMs and restored disks go to the vault's region (az CLI's default, without
      // --restore-to-edge-zone): docs/architecture.md, "Restore".
      plan.targetResourceGroupId = await this.existingResourceGroup(targetGroup);
    }
    if (input.kind === 'AlternateLocation') {
      const name = assertName('vm', input.targetVmName ?? '');
      await this.vms.assertVmNameFree(targetGroup, name);
      plan.targetVirtualMachineId = `${plan.targetResourceGroupId}/providers/Microsoft.Compute/virtualMachines/${name}`;
      plan.subnetId = await this.subnetFor(input.subnet, vault);
    }
    const capture = new ResponseCapture();
    // SDK 12 makes restore a poller whose first poll reads the Azure-AsyncOperation URL (and, once
    // done, the Location's result); the bot then follows the vault's backupOperations from the
    // 202, as az CLI does, and never waits on the poller.
    await this.s.clients.backup.restores.beginTrigger(
      vault.name,
      vault.resourceGroup,
      AZURE_FABRIC,
      item.containerName,
      item.itemName,
      point.id,
      { properties: restoreRequestBody(plan) },
      { onResponse: capture.onFirstResponse },
    );
    // The restore job, not the trigger, is the action's course: a successor follows the job.
    await this.operations.tellAccepted(capture, vault, watch, true);
    const op = await this.operations.followBackupOperation(capture, vault, action);
    const jobId = requiredJobId(op, `the restore of ${input.vm}`);
    return {
      kind: input.kind,
      vmName: vm?.name ?? input.vm,
      point,
      job: await this.jobs.readJob(jobId, vault),
      storageAccountId: plan.storageAccountId,
      ...(plan.targetResourceGroupId ? { targetResourceGroup: targetGroup } : {}),
      ...(input.targetVmName ? { targetVmName: input.targetVmName } : {}),
      ...(plan.subnetId ? { subnetId: plan.subnetId } : {}),
      ...(plan.extendedZone ? { extendedZone: plan.extendedZone } : {}),
    };
  }

  /**
   * What a restore from the vault would use by default, read-only (check:azure): the staging
   * account and the new VMs' subnet, each chosen as a restore chooses it, or why there is none.
   */
  async targets(target: VaultTarget): Promise<RestoreTargets> {
    const vault = await this.catalogue.readVault(target);
    const settled = async (pick: () => Promise<string>): Promise<string | AppError> => {
      try {
        return await pick();
      } catch (e) {
        return isAppError(e) ? e : translateAzureError(e, 'read the restore targets');
      }
    };
    return {
      stagingAccount: await settled(() => this.stagingAccountFor(vault)),
      subnet: await settled(() => this.subnetFor(undefined, vault)),
    };
  }

  /** A configured staging account in the vault's subscription and region (the docs require its region). */
  private async stagingAccountFor(vault: Vault): Promise<string> {
    const setting = {
      kind: 'setting',
      name: 'RESTORE_STAGING_STORAGE_ACCOUNT',
      expect: `<resource group>/<account>, an account in ${vault.location}`,
    } as const;
    const ids = this.inThisSubscription(this.settings.stagingStorageAccounts, storageAccountIdOf);
    if (this.settings.stagingStorageAccounts.length === 0) {
      throw new AppError(
        'validation.restore_not_configured',
        'No staging storage account is configured for restores.',
        { suggestions: [setting] },
      );
    }
    const accounts: { id: string; account: TargetResource | undefined }[] = [];
    for (const id of ids) {
      const account = await this.readResource(id, STORAGE_API_VERSION);
      if (account && normalizeRegion(account.location) === vault.location) return account.id ?? id;
      accounts.push({ id, account });
    }
    // One configured account: say what is wrong with it; several: what each of them is.
    const only = accounts.length === 1 ? accounts[0]! : undefined;
    const each = accounts.map(
      ({ id, account }) => `${id.split('/').pop()} (${account?.location ?? 'does not exist'})`,
    );
    const message = !only
      ? `None of the staging storage accounts configured for subscription ${this.s.subscriptionId} is in the vault's region, ${vault.location}${each.length ? `: ${each.join(', ')}` : ''}.`
      : only.account
        ? `The staging storage account ${only.account.name} is in ${only.account.location}; Azure Backup needs one in the vault's region, ${vault.location}.`
        : `The staging storage account ${only.id.split('/').pop()} does not exist.`;
    throw new AppError('validation.staging_account', message, { suggestions: [setting] });
  }

  /**
   * The subnet a new VM goes on: the one named, else the first configured whose network is in the
   * vault's subscription and region. It must exist, its network in the vault's region.
   */
  private async subnetFor(given: string | undefined, vault: Vault): Promise<string> {
    const configured = this.inThisSubscription(this.settings.subnets, subnetIdOf);
    let ref = given;
    if (!ref) {
      for (const id of configured) {
        const vnet = await this.readResource(virtualNetworkIdOf(id), NETWORK_API_VERSION);
        if (vnet && normalizeRegion(vnet.location) === vault.location) {
          ref = id;
          break;
        }
      }
      // None in the region: the first is checked below, so its problem is what the answer says.
      ref ??= configured[0];
    }
    if (!ref) {
      throw new AppError('validation.restore_not_configured', 'Which subnet should the new VM go on?', {
        suggestions: [
          { kind: 'template', text: '… subnet <resource group>/<vnet>/<subnet>' },
          { kind: 'setting', name: 'RESTORE_SUBNET' },
        ],
      });
    }
    const id = subnetIdOf(this.s.subscriptionId, ref);
    const vnetId = virtualNetworkIdOf(id);
    const subnet = id.split('/').pop()!;
    const vnet = await this.readResource(vnetId, NETWORK_API_VERSION);
    const subnets = ((vnet?.properties as { subnets?: { name?: string }[] } | undefined)?.subnets ?? []).map(
      (s) => s.name ?? '',
    );
    if (!vnet || !subnets.some((s) => s.toLowerCase() === subnet.toLowerCase())) {
      throw new AppError(
        'validation.subnet_not_found',
        `There is no subnet ${subnet} in virtual network ${vnetId.split('/').pop()}.`,
        {
          suggestions: subnets.length
            ? [{ kind: 'choose', what: 'subnet', names: subnets, near: false }]
            : [{ kind: 'setting', name: 'RESTORE_SUBNET' }],
        },
      );
    }
    if (normalizeRegion(vnet.location) !== vault.location) {
      throw new AppError(
        'validation.subnet_region',
        `Virtual network ${vnet.name} is in ${vnet.location}; the restored VM is created in the vault's region, ${vault.location}.`,
        {
          suggestions: [{ kind: 'template', text: `… subnet <a subnet of a network in ${vault.location}>` }],
        },
      );
    }
    return id;
  }

  private async existingResourceGroup(name: string): Promise<string> {
    assertName('resourceGroup', name);
    if (!(await this.s.clients.resources.resourceGroups.checkExistence(name)).body) {
      throw new AppError('validation.resource_group_not_found', `There is no resource group ${name}.`, {
        suggestions: [{ kind: 'template', text: '… to <an existing resource group>' }],
      });
    }
    return resourceGroupIdOf(this.s.subscriptionId, name);
  }

  /**
   * Configured targets as ids in this subscription: short forms resolved here, ids of other
   * subscriptions left out (Azure restores within the vault's subscription).
   */
  private inThisSubscription(
    refs: readonly string[],
    idOf: (subscription: string, ref: string) => string,
  ): string[] {
    const mine = `/subscriptions/${this.s.subscriptionId.toLowerCase()}/`;
    return refs
      .map((ref) => idOf(this.s.subscriptionId, ref))
      .filter((id) => id.toLowerCase().startsWith(mine));
  }

  /** A resource read by id through the generic resources API, or undefined when it does not exist. */
  private async readResource(id: string, apiVersion: string): Promise<TargetResource | undefined> {
    try {
      // The client's path is `/{resourceId}`: an id's own leading slash would make it `//subscriptions…`.
      const r = await this.s.clients.resources.resources.getById(id.replace(/^\/+/, ''), apiVersion);
      return { ...r, location: r.location ?? '' };
    } catch (e) {
      if (translateAzureError(e).statusCode === 404) return undefined;
      throw e;
    }
  }
}

/**
 * The protected item of the VM a restore names, with the VM when it still exists: a deleted VM's
 * backup (found by the item's source id) can still be restored as a new VM or as disks.
 */
function restorableItem(
  name: string,
  vms: VmFacts[],
  items: Map<string, ItemRef>,
  vault: Vault,
): { item: ItemRef; vm?: VmFacts } {
  const wanted = name.toLowerCase();
  const vm = vms.find((v) => v.name.toLowerCase() === wanted && items.has(v.id.toLowerCase()));
  const item = vm
    ? items.get(vm.id.toLowerCase())
    : [...items.values()].find((i) => i.sourceResourceId.split('/').pop()?.toLowerCase() === wanted);
  if (!item) {
    throw new AppError(
      'validation.vm_not_protected',
      `${name} has no backup in vault ${vault.name} to restore from.`,
      {
        suggestions: [command('list vms')],
      },
    );
  }
  if (item.protection.softDeleted) {
    throw new AppError(
      'validation.vm_not_protected',
      `The backup data of ${name} is deleted (soft delete keeps it until ${item.protection.softDeleted.purgeAt?.slice(0, 10) ?? 'it is purged'}); it must be undeleted before restoring.`,
      // Enabling backup again undeletes the data first.
      { suggestions: [command(`enable backup for ${name}`)] },
    );
  }
  return { item, ...(vm ? { vm } : {}) };
}
