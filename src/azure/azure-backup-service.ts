import type {
  AzureIaaSComputeVMProtectedItem,
  IaasVMRecoveryPoint,
  ProtectedItemResource,
} from '@azure/arm-recoveryservicesbackup';
import type { Vault as AzureVault } from '@azure/arm-recoveryservices';
import type {
  AcceptedOperation,
  AcceptedOutcome,
  BackupJob,
  BackupNowResult,
  EnableProtectionResult,
  JobFilter,
  Policy,
  PolicySpec,
  OperationWatch,
  ProtectionState,
  RecoveryPoint,
  ResourceGroupSummary,
  RestoreInput,
  RestoreResult,
  RetainRequest,
  StopProtectionResult,
  Vault,
  VmFacts,
  VmProtection,
  VmStatus,
} from '../domain/index.js';
import {
  AZURE_FABRIC,
  AppError,
  assertName,
  assertPolicyChange,
  assertPolicyFitsVm,
  assertVaultLocation,
  checkVmAgent,
  choosePoint,
  closestMatches,
  expectedConsistency,
  isAppError,
  normalizeRegion,
  resolveRetainUntil,
  retainUntilInstant,
  validatePolicySpec,
  vmEligibility,
} from '../domain/index.js';
import { RestError, createPipelineRequest } from '@azure/core-rest-pipeline';
import type { PermissionSet } from '../domain/index.js';
import type { AzureClients } from './azure-clients.js';
import { translateAzureError } from './azure-error-translation.js';
import type { BackupService, VaultTarget } from './backup-service.js';
import { fromAzureJob, isoOf, jobFilterTime } from './job-mapping.js';
import type { FollowSettings } from './operation-follower.js';
import { followOperation, followOperationResult, jobIdOf, requiredJobId } from './operation-follower.js';
import { fromAzurePolicy, toAzurePolicy } from './policy-mapping.js';
import { ResponseCapture } from './response-capture.js';
import type { RestorePlan } from './restore-request.js';
import { resourceGroupIdOf, restoreRequestBody, storageAccountIdOf, subnetIdOf } from './restore-request.js';
import { fromAzureVm, withInstanceView } from './vm-mapping.js';

export interface AzureBackupServiceOptions {
  clients: AzureClients;
  /** The ARM endpoint the clients use, for the requests no client method covers (permissions). */
  endpoint: string;
  subscriptionId: string;
  defaultVault: { name: string; resourceGroup: string };
  follow: FollowSettings;
  /** Poll interval of the SDK's own pollers (vault create, resource group delete). */
  lroPollIntervalMs?: number;
  /** Name prefix of the resource group where Enhanced policies keep restore point collections. */
  restorePointResourceGroupPrefix?: string;
  /**
   * Restores: the staging storage account and the default subnet of new VMs, each `<rg>/<name…>`
   * or a full id (RESTORE_STAGING_STORAGE_ACCOUNT, RESTORE_SUBNET).
   */
  restore?: { stagingStorageAccount?: string; subnet?: string };
  now?: () => Date;
}

const IAAS_FILTER = "backupManagementType eq 'AzureIaasVM'";
const PERMISSIONS_API_VERSION = '2022-04-01';
/** Soft delete keeps deleted backup data 14 days unless the vault says otherwise. */
const DEFAULT_SOFT_DELETE_DAYS = 14;
const JOB_ID = /^[A-Za-z0-9-]{1,100}$/;
/** api-versions of the generic resources API reads of restore targets (az CLI uses older ones). */
const STORAGE_API_VERSION = '2023-01-01';
const NETWORK_API_VERSION = '2023-09-01';
/** Stop reading job pages after this many items: a chat answer never needs more. */
const MAX_JOBS_READ = 2_000;

interface ItemRef {
  containerName: string;
  itemName: string;
  protection: VmProtection;
  sourceResourceId: string;
}

export class AzureBackupService implements BackupService {
  private readonly c: AzureClients;
  private readonly now: () => Date;

  constructor(private readonly o: AzureBackupServiceOptions) {
    this.c = o.clients;
    this.now = o.now ?? (() => new Date());
  }

  // ---- VMs -------------------------------------------------------------------------------

  async listVms(target?: VaultTarget): Promise<{ vault: Vault; vms: VmStatus[] }> {
    return this.run('list the VMs', async () => {
      const vault = await this.readVault(target);
      const [vms, items] = await Promise.all([this.readVms(), this.readProtectedItems(vault)]);
      return {
        vault,
        vms: vms.map((vm) => this.statusOf(vm, vault, items)).sort((a, b) => a.name.localeCompare(b.name)),
      };
    });
  }

  async getVm(name: string, target?: VaultTarget): Promise<VmStatus> {
    return this.run(`read VM ${name}`, async () => {
      const vault = await this.readVault(target);
      const [vm, items] = await Promise.all([this.findVmWithAgent(name), this.readProtectedItems(vault)]);
      return this.statusOf(vm, vault, items);
    });
  }

  // ---- Vaults ----------------------------------------------------------------------------

  async listVaults(): Promise<Vault[]> {
    return this.run('list the vaults', async () => {
      const out: Vault[] = [];
      for await (const v of this.c.vaults.vaults.listBySubscriptionId()) {
        const vault = this.toVault(v);
        if (vault) out.push(vault);
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  async getVault(target?: VaultTarget): Promise<Vault> {
    return this.run('read the vault', () => this.readVault(target));
  }

  async createVault(input: {
    name: string;
    location: string;
    resourceGroup?: string;
  }): Promise<{ vault: Vault; created: boolean }> {
    const name = assertName('vault', input.name);
    const resourceGroup = assertName(
      'resourceGroup',
      input.resourceGroup ?? this.o.defaultVault.resourceGroup,
    );
    const location = assertVaultLocation(input.location);
    return this.run(`create vault ${name}`, async () => {
      const rgs = this.c.resources.resourceGroups;
      if (!(await rgs.checkExistence(resourceGroup)).body) {
        await rgs.createOrUpdate(resourceGroup, { location });
      } else {
        const existing = await this.tryReadVault(name, resourceGroup);
        if (existing) {
          if (normalizeRegion(existing.location) !== location) {
            throw new AppError(
              'validation.vault_exists',
              `Vault ${name} already exists in resource group ${resourceGroup}, in ${existing.location} (not ${location}).`,
              { hint: `Pick another name: create vault <name> in ${location}` },
            );
          }
          return { vault: existing, created: false };
        }
      }
      const created = await this.c.vaults.vaults.beginCreateOrUpdateAndWait(
        resourceGroup,
        name,
        { location, sku: { name: 'Standard' }, properties: { publicNetworkAccess: 'Enabled' } },
        { updateIntervalInMs: this.o.lroPollIntervalMs },
      );
      const vault = this.toVault(created);
      if (!vault)
        throw new AppError(
          'azure.unexpected_response',
          `Azure created vault ${name} but did not describe it.`,
        );
      return { vault, created: true };
    });
  }

  // ---- Policies --------------------------------------------------------------------------

  async listPolicies(target?: VaultTarget): Promise<Policy[]> {
    return this.run('list the backup policies', async () => this.readPolicies(this.vaultRef(target)));
  }

  async getPolicy(name: string, target?: VaultTarget): Promise<Policy> {
    return this.run(`read policy ${name}`, () => this.readPolicy(name, this.vaultRef(target)));
  }

  async createPolicy(spec: PolicySpec, target?: VaultTarget): Promise<Policy> {
    const def = validatePolicySpec(spec);
    const v = this.vaultRef(target);
    return this.run(`create policy ${def.name}`, async () => {
      const capture = new ResponseCapture();
      await this.c.backup.protectionPolicies.createOrUpdate(
        v.name,
        v.resourceGroup,
        def.name,
        toAzurePolicy(def, this.o.restorePointResourceGroupPrefix ?? 'AzureBackupRG_'),
        { onResponse: capture.onResponse },
      );
      await followOperation(
        capture,
        (id, c) =>
          this.c.backup.protectionPolicyOperationStatuses.get(v.name, v.resourceGroup, def.name, id, {
            onResponse: c.onResponse,
          }),
        this.o.follow,
        `create policy ${def.name}`,
      );
      return this.readPolicy(def.name, v);
    });
  }

  // ---- Protection ------------------------------------------------------------------------

  async enableProtection(
    input: { vm: string; policy?: string } & VaultTarget,
  ): Promise<EnableProtectionResult> {
    return this.run(`enable backup for ${input.vm}`, async () => {
      const vault = await this.readVault(input);
      const [vm, items] = await Promise.all([this.findVmWithAgent(input.vm), this.readProtectedItems(vault)]);
      const status = this.statusOf(vm, vault, items);
      if (!status.eligibility.eligible) {
        throw new AppError(
          'validation.vm_not_eligible',
          `${vm.name} cannot be protected by vault ${vault.name}. ${status.eligibility.reason}`,
          {
            hint: `Use a vault in ${vm.location} (list them with "vaults"), or create one: create vault <name> in ${vm.location}`,
          },
        );
      }
      const policy = input.policy
        ? await this.readPolicy(input.policy, vault)
        : await this.defaultPolicyFor(vm, vault);
      assertPolicyFitsVm(vm, policy);
      const existing = items.get(vm.id.toLowerCase());
      if (
        (existing?.protection.state === 'Protected' || existing?.protection.state === 'IRPending') &&
        existing.protection.policyName?.toLowerCase() === policy.name.toLowerCase()
      ) {
        return { vm: status, policy, alreadyProtected: true, consistency: expectedConsistency(vm) };
      }
      if (existing) assertPolicyChange(existing.protection.policyKind, policy.kind, vm.name);
      if (status.agent.severity === 'blocking') {
        throw new AppError('validation.vm_agent', `${status.agent.problem}`, {
          hint: status.agent.fix,
          details: { vm: vm.name, agentVersion: vm.agentVersion },
        });
      }
      // Soft-deleted data must be undeleted before protection resumes (az backup protection
      // undelete, then resume): undelete is a PUT with isRehydrate, as recorded.
      const undeleted = existing?.protection.softDeleted !== undefined;
      if (existing && undeleted) {
        await this.putProtectedItem(
          vault,
          existing,
          {
            sourceResourceId: existing.sourceResourceId,
            policyId: '',
            protectionState: 'ProtectionStopped',
            isRehydrate: true,
          },
          `undelete the backup data of ${vm.name}`,
        );
      }
      const names = existing ?? (await this.findProtectable(vm, vault));
      const op = await this.putProtectedItem(
        vault,
        names,
        { sourceResourceId: vm.id, policyId: policy.id },
        `enable backup for ${vm.name}`,
      );
      const after = await this.readProtectedItems(vault);
      return {
        vm: this.statusOf(vm, vault, after),
        policy,
        jobId: jobIdOf(op),
        alreadyProtected: false,
        ...(undeleted ? { undeleted } : {}),
        consistency: expectedConsistency(vm),
      };
    });
  }

  async backupNow(input: { vm: string; retain?: RetainRequest } & VaultTarget): Promise<BackupNowResult> {
    const retainUntil = resolveRetainUntil(input.retain, this.now());
    return this.run(`back up ${input.vm}`, async () => {
      const vault = await this.readVault(input);
      const [vm, items] = await Promise.all([this.findVmWithAgent(input.vm), this.readProtectedItems(vault)]);
      const item = this.protectedItemOf(vm, vault, items);
      const capture = new ResponseCapture();
      await this.c.backup.backups.trigger(
        vault.name,
        vault.resourceGroup,
        AZURE_FABRIC,
        item.containerName,
        item.itemName,
        {
          properties: {
            objectType: 'IaasVMBackupRequest',
            recoveryPointExpiryTimeInUTC: retainUntilInstant(retainUntil),
          },
        },
        { onResponse: capture.onResponse },
      );
      let op;
      try {
        op = await this.followBackupOperation(capture, vault, `back up ${vm.name}`);
      } catch (e) {
        throw await this.explainBackupInProgress(e, vm, vault);
      }
      const jobId = requiredJobId(op, `the backup of ${vm.name}`);
      return {
        vm: this.statusOf(vm, vault, items),
        job: await this.readJob(jobId, vault),
        retainUntil,
        consistency: expectedConsistency(vm),
      };
    });
  }

  async stopProtection(
    input: { vm: string; deleteData: boolean } & VaultTarget,
    watch?: OperationWatch,
  ): Promise<StopProtectionResult> {
    const action = input.deleteData
      ? `stop backup and delete the backup data of ${input.vm}`
      : `stop backup of ${input.vm}`;
    return this.run(action, async () => {
      const vault = await this.readVault(input);
      const [vm, items] = await Promise.all([this.findVm(input.vm), this.readProtectedItems(vault)]);
      const item = items.get(vm.id.toLowerCase());
      if (!item) {
        throw new AppError(
          'validation.vm_not_protected',
          `${vm.name} is not backed up in vault ${vault.name}: there is nothing to stop.`,
          {
            hint: 'See which VMs are protected with "list vms".',
          },
        );
      }
      const softDeleted = item.protection.softDeleted;
      if (softDeleted) {
        throw new AppError(
          'validation.already_deleted',
          `The backup data of ${vm.name} is already deleted${softDeleted.purgeAt ? `; soft delete keeps it until ${softDeleted.purgeAt.slice(0, 10)}, and it can be undeleted until then` : ''}.`,
          { hint: `To protect ${vm.name} again (its data undeleted first): enable backup for ${vm.name}` },
        );
      }
      if (!input.deleteData) {
        if (item.protection.state === 'ProtectionStopped') return { vmName: vm.name, deletedData: false };
        const op = await this.putProtectedItem(
          vault,
          item,
          { sourceResourceId: item.sourceResourceId, policyId: '', protectionState: 'ProtectionStopped' },
          action,
        );
        return { vmName: vm.name, deletedData: false, jobId: jobIdOf(op) };
      }
      const capture = new ResponseCapture();
      await this.c.backup.protectedItems.delete(
        vault.name,
        vault.resourceGroup,
        AZURE_FABRIC,
        item.containerName,
        item.itemName,
        {
          onResponse: capture.onResponse,
        },
      );
      const operationId = capture.operationId();
      if (watch && operationId) {
        await watch.onAccepted({
          kind: 'backup-operation',
          vault: vault.name,
          resourceGroup: vault.resourceGroup,
          operationId,
        });
      }
      const op = await this.followBackupOperation(capture, vault, action);
      // With soft delete the item stays, its data kept until the purge date Azure gives.
      const until = (await this.readProtectedItems(vault)).get(vm.id.toLowerCase())?.protection.softDeleted
        ?.purgeAt;
      return {
        vmName: vm.name,
        deletedData: true,
        jobId: jobIdOf(op),
        ...(until ? { softDeletedUntil: until } : {}),
      };
    });
  }

  // ---- Jobs and recovery points ----------------------------------------------------------

  async listJobs(filter: JobFilter = {}, target?: VaultTarget): Promise<BackupJob[]> {
    return this.run('list the backup jobs', async () => this.readJobs(filter, this.vaultRef(target)));
  }

  async getJob(id: string, target?: VaultTarget): Promise<BackupJob> {
    if (!JOB_ID.test(id)) {
      throw new AppError('validation.job_id', `"${id.slice(0, 60)}" is not a job id.`, {
        hint: 'Job ids look like 2a4f3c1e-…; list recent jobs with "status of jobs".',
      });
    }
    return this.run(`read job ${id}`, () => this.readJob(id, this.vaultRef(target)));
  }

  async listRecoveryPoints(vmName: string, target?: VaultTarget): Promise<RecoveryPoint[]> {
    return this.run(`list the recovery points of ${vmName}`, async () => {
      const vault = await this.readVault(target);
      const [vm, items] = await Promise.all([this.findVm(vmName), this.readProtectedItems(vault)]);
      const item = items.get(vm.id.toLowerCase());
      if (!item) {
        throw new AppError(
          'validation.vm_not_protected',
          `${vm.name} is not backed up in vault ${vault.name}, so it has no recovery points there.`,
          {
            hint: `enable backup for ${vm.name}`,
          },
        );
      }
      return this.readRecoveryPoints(vault, item);
    });
  }

  // ---- Restore ---------------------------------------------------------------------------

  async restore(input: RestoreInput & VaultTarget): Promise<RestoreResult> {
    const action = `restore ${input.vm}`;
    return this.run(action, async () => {
      const vault = await this.readVault(input);
      const [vms, items] = await Promise.all([this.readVms(), this.readProtectedItems(vault)]);
      const { item, vm } = restorableItem(input.vm, vms, items, vault);
      if (input.kind === 'OriginalLocation' && !vm) {
        // Docs: replacing disks needs the current VM; a deleted VM comes back as a new one.
        throw new AppError(
          'validation.vm_not_found',
          `${input.vm} no longer exists, so its disks cannot be replaced.`,
          {
            hint: `Restore it as a new VM: restore ${input.vm} from latest as new vm ${input.vm}`,
          },
        );
      }
      const point = choosePoint(await this.readRecoveryPoints(vault, item), input.point, input.vm);
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
        await this.assertVmNameFree(targetGroup, name);
        plan.targetVirtualMachineId = `${plan.targetResourceGroupId}/providers/Microsoft.Compute/virtualMachines/${name}`;
        plan.subnetId = await this.subnetFor(input.subnet, vault);
      }
      const capture = new ResponseCapture();
      // SDK 12 makes restore a poller whose first poll reads the Azure-AsyncOperation URL (and, once
      // done, the Location's result); the bot then follows the vault's backupOperations from the
      // 202, as az CLI does, and never waits on the poller.
      await this.c.backup.restores.beginTrigger(
        vault.name,
        vault.resourceGroup,
        AZURE_FABRIC,
        item.containerName,
        item.itemName,
        point.id,
        { properties: restoreRequestBody(plan) },
        { onResponse: capture.onFirstResponse },
      );
      const op = await this.followBackupOperation(capture, vault, action);
      const jobId = requiredJobId(op, `the restore of ${input.vm}`);
      return {
        kind: input.kind,
        vmName: vm?.name ?? input.vm,
        point,
        job: await this.readJob(jobId, vault),
        storageAccountId: plan.storageAccountId,
        ...(plan.targetResourceGroupId ? { targetResourceGroup: targetGroup } : {}),
        ...(input.targetVmName ? { targetVmName: input.targetVmName } : {}),
        ...(plan.subnetId ? { subnetId: plan.subnetId } : {}),
        ...(plan.extendedZone ? { extendedZone: plan.extendedZone } : {}),
      };
    });
  }

  /** The configured staging account, which must exist in the vault's region (docs). */
  private async stagingAccountFor(vault: Vault): Promise<string> {
    const ref = this.o.restore?.stagingStorageAccount;
    if (!ref) {
      throw new AppError(
        'validation.restore_not_configured',
        'No staging storage account is configured for restores.',
        {
          hint: `Set RESTORE_STAGING_STORAGE_ACCOUNT to <resource group>/<account>, an account in ${vault.location}.`,
        },
      );
    }
    const id = storageAccountIdOf(this.o.subscriptionId, ref);
    const account = await this.readResource(id, STORAGE_API_VERSION);
    if (!account) {
      throw new AppError(
        'validation.staging_account',
        `The staging storage account ${id.split('/').pop()} does not exist.`,
        {
          hint: 'Check RESTORE_STAGING_STORAGE_ACCOUNT.',
        },
      );
    }
    if (normalizeRegion(account.location) !== vault.location) {
      throw new AppError(
        'validation.staging_account',
        `The staging storage account ${account.name} is in ${account.location}; Azure Backup needs one in the vault's region, ${vault.location}.`,
        { hint: `Set RESTORE_STAGING_STORAGE_ACCOUNT to an account in ${vault.location}.` },
      );
    }
    return account.id ?? id;
  }

  /** The subnet a new VM goes on (given, else configured): it must exist, its network in the vault's region. */
  private async subnetFor(given: string | undefined, vault: Vault): Promise<string> {
    const ref = given ?? this.o.restore?.subnet;
    if (!ref) {
      throw new AppError('validation.restore_not_configured', 'Which subnet should the new VM go on?', {
        hint: 'Add "subnet <resource group>/<vnet>/<subnet>", or set RESTORE_SUBNET.',
      });
    }
    const id = subnetIdOf(this.o.subscriptionId, ref);
    const vnetId = id.replace(/\/subnets\/[^/]+$/i, '');
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
          hint: subnets.length
            ? `Subnets there: ${subnets.join(', ')}.`
            : 'Check the subnet (RESTORE_SUBNET or "subnet <rg>/<vnet>/<subnet>").',
        },
      );
    }
    if (normalizeRegion(vnet.location) !== vault.location) {
      throw new AppError(
        'validation.subnet_region',
        `Virtual network ${vnet.name} is in ${vnet.location}; the restored VM is created in the vault's region, ${vault.location}.`,
        { hint: `Pick a subnet of a network in ${vault.location}.` },
      );
    }
    return id;
  }

  private async existingResourceGroup(name: string): Promise<string> {
    assertName('resourceGroup', name);
    if (!(await this.c.resources.resourceGroups.checkExistence(name)).body) {
      throw new AppError('validation.resource_group_not_found', `There is no resource group ${name}.`, {
        hint: 'Name an existing resource group ("in rg-x" or "to rg-x").',
      });
    }
    return resourceGroupIdOf(this.o.subscriptionId, name);
  }

  private async assertVmNameFree(resourceGroup: string, name: string): Promise<void> {
    try {
      await this.c.compute.virtualMachines.get(resourceGroup, name);
    } catch (e) {
      if (translateAzureError(e).statusCode === 404) return;
      throw e;
    }
    throw new AppError(
      'validation.vm_name_taken',
      `There is already a VM called ${name} in ${resourceGroup}.`,
      {
        hint: `Pick another name: … as new vm ${name}-2`,
      },
    );
  }

  /** A resource read by id through the generic resources API, or undefined when it does not exist. */
  private async readResource(
    id: string,
    apiVersion: string,
  ): Promise<{ id?: string; name?: string; location: string; properties?: unknown } | undefined> {
    try {
      // The client's path is `/{resourceId}`: an id's own leading slash would make it `//subscriptions…`.
      const r = await this.c.resources.resources.getById(id.replace(/^\/+/, ''), apiVersion);
      return { ...r, location: r.location ?? '' };
    } catch (e) {
      if (translateAzureError(e).statusCode === 404) return undefined;
      throw e;
    }
  }

  // ---- Resource groups -------------------------------------------------------------------

  async describeResourceGroup(name: string): Promise<ResourceGroupSummary> {
    assertName('resourceGroup', name);
    return this.run(`read resource group ${name}`, async () => {
      const rg = await this.c.resources.resourceGroups.get(name);
      const resources: { name: string; type: string }[] = [];
      for await (const r of this.c.resources.resources.listByResourceGroup(name)) {
        if (r.name && r.type) resources.push({ name: r.name, type: r.type });
      }
      const vaults = [];
      for (const r of resources.filter((x) => /^Microsoft\.RecoveryServices\/vaults$/i.test(x.type))) {
        const vault = await this.readVault({ vault: r.name, resourceGroup: name });
        const items = [...(await this.readProtectedItems(vault)).values()];
        const vmOf = (i: ItemRef) => i.sourceResourceId.split('/').pop() ?? i.itemName;
        vaults.push({
          name: vault.name,
          blockingItems: items.filter((i) => !i.protection.softDeleted).map(vmOf),
          softDeletedItems: items.filter((i) => i.protection.softDeleted).map(vmOf),
        });
      }
      return { name: rg.name ?? name, location: rg.location, resources, vaults };
    });
  }

  async deleteResourceGroup(name: string, watch?: OperationWatch): Promise<void> {
    assertName('resourceGroup', name);
    return this.run(`delete resource group ${name}`, async () => {
      const poller = await this.c.resources.resourceGroups.beginDelete(name, {
        updateIntervalInMs: this.o.lroPollIntervalMs,
      });
      await watch?.onAccepted({
        kind: 'resource-group-deletion',
        resourceGroup: name,
        resumeFrom: poller.toString(),
      });
      await poller.pollUntilDone();
    });
  }

  async followAccepted(op: AcceptedOperation): Promise<AcceptedOutcome> {
    const failed = (e: unknown): AcceptedOutcome => {
      const error = translateAzureError(e);
      return { state: 'failed', message: error.message, code: error.code };
    };
    if (op.kind === 'resource-group-deletion') {
      try {
        // Resumed from its saved state: no new DELETE is sent, the operation is read once.
        const poller = await this.c.resources.resourceGroups.beginDelete(op.resourceGroup, {
          resumeFrom: op.resumeFrom,
          updateIntervalInMs: this.o.lroPollIntervalMs,
        });
        if (!poller.isDone()) return { state: 'running' };
        await poller.pollUntilDone();
        return { state: 'succeeded' };
      } catch (e) {
        return failed(e);
      }
    }
    try {
      const status = await this.c.backup.backupOperationStatuses.get(
        op.vault,
        op.resourceGroup,
        op.operationId,
      );
      if (status.status === 'InProgress' || status.status === 'Invalid') return { state: 'running' };
      if (status.status === 'Succeeded') return { state: 'succeeded' };
      return {
        state: 'failed',
        message: status.error?.message ?? `The operation ended ${status.status ?? 'without a status'}.`,
        code: `azure.${status.error?.code ?? 'OperationFailed'}`,
      };
    } catch (e) {
      return failed(e);
    }
  }

  // ---- Permissions -----------------------------------------------------------------------

  /**
   * The bot identity's effective permissions at a scope (a resource or resource group id), from
   * Microsoft.Authorization/permissions, read through the resources client's own pipeline (its
   * credential and retries): for `check:azure`.
   */
  async readPermissions(scope: string): Promise<PermissionSet[]> {
    return this.run(`read the permissions on ${scope}`, async () => {
      const out: PermissionSet[] = [];
      let url: string | undefined =
        `${this.o.endpoint}${scope}/providers/Microsoft.Authorization/permissions?api-version=${PERMISSIONS_API_VERSION}`;
      for (let page = 0; url && page < 20; page++) {
        const response = await this.c.resources.sendRequest(createPipelineRequest({ url, method: 'GET' }));
        const body = JSON.parse(response.bodyAsText ?? '{}') as {
          value?: { actions?: string[]; notActions?: string[] }[];
          nextLink?: string;
          error?: { code?: string; message?: string };
        };
        if (response.status >= 400) {
          throw new RestError(body.error?.message ?? `HTTP ${response.status}`, {
            code: body.error?.code,
            statusCode: response.status,
          });
        }
        for (const p of body.value ?? [])
          out.push({ actions: p.actions ?? [], notActions: p.notActions ?? [] });
        url = body.nextLink;
      }
      return out;
    });
  }

  // ---- Internals -------------------------------------------------------------------------

  /** Every public call goes through here so that what escapes is an AppError. */
  private async run<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw translateAzureError(e, action);
    }
  }

  private vaultRef(target?: VaultTarget): { name: string; resourceGroup: string } {
    const name = target?.vault ?? this.o.defaultVault.name;
    const resourceGroup = target?.resourceGroup ?? this.o.defaultVault.resourceGroup;
    if (!name || !resourceGroup) {
      throw new AppError('validation.vault', 'No vault was named and no default vault is configured.', {
        hint: 'Set AZURE_VAULT_NAME and AZURE_RESOURCE_GROUP, or create one: create vault <name> in <region>',
      });
    }
    return { name: assertName('vault', name), resourceGroup: assertName('resourceGroup', resourceGroup) };
  }

  private async readVault(target?: VaultTarget): Promise<Vault> {
    const ref = this.vaultRef(target);
    const vault = await this.tryReadVault(ref.name, ref.resourceGroup);
    if (!vault) throw vaultNotFound(ref);
    return vault;
  }

  private async tryReadVault(name: string, resourceGroup: string): Promise<Vault | undefined> {
    try {
      return this.toVault(await this.c.vaults.vaults.get(resourceGroup, name));
    } catch (e) {
      const t = translateAzureError(e);
      if (t.statusCode === 404) return undefined;
      throw t;
    }
  }

  private toVault(v: AzureVault): Vault | undefined {
    if (!v.id || !v.name) return undefined;
    return {
      id: v.id,
      name: v.name,
      resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(v.id)?.[1] ?? '',
      subscriptionId: /\/subscriptions\/([^/]+)/i.exec(v.id)?.[1] ?? this.o.subscriptionId,
      location: normalizeRegion(v.location),
      provisioningState: v.properties?.provisioningState,
      ...softDeleteOf(v),
    };
  }

  private async readVms(): Promise<VmFacts[]> {
    const out: VmFacts[] = [];
    // statusOnly=true returns every VM with its power state in one listing; the agent is read per VM.
    for await (const vm of this.c.compute.virtualMachines.listAll({ statusOnly: 'true' })) {
      const facts = fromAzureVm(vm, this.o.subscriptionId);
      if (facts) out.push(facts);
    }
    return out;
  }

  /** A VM with its own instance view read: the only place its VM agent version is trusted from. */
  private async findVmWithAgent(name: string): Promise<VmFacts> {
    const vm = await this.findVm(name);
    return withInstanceView(vm, await this.c.compute.virtualMachines.instanceView(vm.resourceGroup, vm.name));
  }

  /** Finds a VM by name (`vm` or `resourceGroup/vm`), case-insensitively. */
  private async findVm(name: string): Promise<VmFacts> {
    const [rg, vmName] = name.includes('/') ? (name.split('/', 2) as [string, string]) : [undefined, name];
    assertName('vm', vmName);
    if (rg !== undefined) assertName('resourceGroup', rg);
    const vms = await this.readVms();
    const matches = vms.filter(
      (v) =>
        v.name.toLowerCase() === vmName.toLowerCase() &&
        (rg === undefined || v.resourceGroup.toLowerCase() === rg.toLowerCase()),
    );
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new AppError('validation.vm_ambiguous', `More than one VM is called ${vmName}.`, {
        hint: `Name it with its resource group: ${matches.map((m) => `${m.resourceGroup}/${m.name}`).join(' or ')}`,
      });
    }
    const near = closestMatches(
      vmName,
      vms.map((v) => v.name),
    );
    throw new AppError('validation.vm_not_found', `There is no VM called ${vmName} in the subscription.`, {
      hint: near.length > 0 ? `Did you mean ${near.join(', ')}?` : 'See the VMs with "list vms".',
      details: { suggestions: near },
    });
  }

  /** Protected VMs of the vault by VM id (lower case), with their policy's kind. */
  private async readProtectedItems(vault: Vault): Promise<Map<string, ItemRef>> {
    const [resources, policies] = await Promise.all([
      collect(
        this.c.backup.backupProtectedItems.list(vault.name, vault.resourceGroup, { filter: IAAS_FILTER }),
      ),
      // API 2023-06-01 items do not say their policy's type: read it from the policies.
      this.readPolicies(vault),
    ]);
    const kinds = new Map(policies.map((p) => [p.name.toLowerCase(), p.kind]));
    const items = new Map<string, ItemRef>();
    for (const r of resources) {
      const ref = itemRefOf(r, vault.name);
      if (!ref) continue;
      ref.protection.policyKind = kinds.get(ref.protection.policyName?.toLowerCase() ?? '');
      items.set(ref.sourceResourceId.toLowerCase(), ref);
    }
    return items;
  }

  private statusOf(vm: VmFacts, vault: Vault, items: Map<string, ItemRef>): VmStatus {
    return {
      ...vm,
      protection: items.get(vm.id.toLowerCase())?.protection ?? { state: 'NotProtected' },
      eligibility: vmEligibility(vm, vault),
      agent: checkVmAgent(vm),
    };
  }

  private protectedItemOf(vm: VmFacts, vault: Vault, items: Map<string, ItemRef>): ItemRef {
    const item = items.get(vm.id.toLowerCase());
    if (!item) {
      throw new AppError(
        'validation.vm_not_protected',
        `${vm.name} is not backed up in vault ${vault.name} yet.`,
        {
          hint: `Enable backup first: enable backup for ${vm.name}`,
        },
      );
    }
    if (item.protection.softDeleted) {
      throw new AppError(
        'validation.vm_not_protected',
        `The backup data of ${vm.name} was deleted${item.protection.softDeleted.purgeAt ? ` (soft delete keeps it until ${item.protection.softDeleted.purgeAt.slice(0, 10)})` : ''}, so it cannot be backed up now.`,
        { hint: `Undelete it and protect ${vm.name} again: enable backup for ${vm.name}` },
      );
    }
    if (item.protection.state !== 'Protected' && item.protection.state !== 'IRPending') {
      throw new AppError(
        'validation.vm_not_protected',
        `Backup of ${vm.name} is stopped (${item.protection.state}), so it cannot be backed up now.`,
        {
          hint: `Resume it: enable backup for ${vm.name}`,
        },
      );
    }
    return item;
  }

  /** A protected item's points, newest first, with their tiers. */
  private async readRecoveryPoints(vault: Vault, item: ItemRef): Promise<RecoveryPoint[]> {
    const out: RecoveryPoint[] = [];
    for await (const rp of this.c.backup.recoveryPoints.list(
      vault.name,
      vault.resourceGroup,
      AZURE_FABRIC,
      item.containerName,
      item.itemName,
    )) {
      if (!rp.name || rp.properties?.objectType !== 'IaasVMRecoveryPoint') continue;
      const p = rp.properties as IaasVMRecoveryPoint;
      out.push({
        id: rp.name,
        time: p.recoveryPointTime?.toISOString(),
        consistency: p.recoveryPointType ?? 'Unknown',
        tiers: (p.recoveryPointTierDetails ?? []).map((t) => ({
          type: t.type ?? 'Unknown',
          status: t.status ?? 'Unknown',
        })),
        ...(p.extendedLocation?.name ? { extendedZone: p.extendedLocation.name } : {}),
      });
    }
    return out.sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
  }

  private async readPolicies(v: { name: string; resourceGroup: string }): Promise<Policy[]> {
    const out: Policy[] = [];
    for await (const r of this.c.backup.backupPolicies.list(v.name, v.resourceGroup, {
      filter: IAAS_FILTER,
    })) {
      const p = fromAzurePolicy(r);
      if (p) out.push(p);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async readPolicy(name: string, v: { name: string; resourceGroup: string }): Promise<Policy> {
    assertName('policy', name);
    try {
      const p = fromAzurePolicy(await this.c.backup.protectionPolicies.get(v.name, v.resourceGroup, name));
      if (p) return p;
    } catch (e) {
      if (translateAzureError(e).statusCode !== 404) throw e;
    }
    const names = (await this.readPolicies(v)).map((p) => p.name);
    throw new AppError(
      'validation.policy_not_found',
      `Vault ${v.name} has no VM backup policy called ${name}.`,
      {
        hint:
          names.length > 0 ? `Policies there: ${names.join(', ')}.` : 'Create one with "create policy …".',
        details: { suggestions: closestMatches(name, names) },
      },
    );
  }

  /** Without a named policy: an Enhanced one for Extended Zone VMs, else DefaultPolicy. */
  private async defaultPolicyFor(vm: VmFacts, vault: Vault): Promise<Policy> {
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
        { hint: 'create policy daily-enhanced enhanced daily at 22:00 keep daily 30 days' },
      );
    }
    return pick;
  }

  /** The container and item names Azure Backup knows the VM by, discovering it if needed. */
  private async findProtectable(
    vm: VmFacts,
    vault: Vault,
  ): Promise<{ containerName: string; itemName: string }> {
    const found = await this.readProtectable(vm, vault);
    if (found) return found;
    const capture = new ResponseCapture();
    await this.c.backup.protectionContainers.refresh(vault.name, vault.resourceGroup, AZURE_FABRIC, {
      onResponse: capture.onResponse,
    });
    await followOperationResult(
      capture,
      (id, c) =>
        this.c.backup.protectionContainerRefreshOperationResults.get(
          vault.name,
          vault.resourceGroup,
          AZURE_FABRIC,
          id,
          {
            onResponse: c.onResponse,
          },
        ),
      this.o.follow,
      `discover ${vm.name}`,
    );
    const after = await this.readProtectable(vm, vault);
    if (after) return after;
    throw new AppError(
      'validation.vm_not_discoverable',
      `Azure Backup cannot see ${vm.name} from vault ${vault.name}, even after refreshing.`,
      {
        hint: 'Check that the VM is not already protected by another vault, then try again in a few minutes.',
      },
    );
  }

  private async readProtectable(
    vm: VmFacts,
    vault: Vault,
  ): Promise<{ containerName: string; itemName: string } | undefined> {
    for await (const r of this.c.backup.backupProtectableItems.list(vault.name, vault.resourceGroup, {
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

  /** PUT a VM's protected item (enable, change policy, stop keeping data) and follow the 202 to its end. */
  private async putProtectedItem(
    vault: Vault,
    item: { containerName: string; itemName: string },
    properties: {
      sourceResourceId: string;
      policyId?: string;
      protectionState?: 'ProtectionStopped';
      isRehydrate?: boolean;
    },
    action: string,
  ): ReturnType<typeof followOperation> {
    const capture = new ResponseCapture();
    await this.c.backup.protectedItems.createOrUpdate(
      vault.name,
      vault.resourceGroup,
      AZURE_FABRIC,
      item.containerName,
      item.itemName,
      { properties: { protectedItemType: 'Microsoft.Compute/virtualMachines', ...properties } },
      { onResponse: capture.onResponse },
    );
    return this.followBackupOperation(capture, vault, action);
  }

  /**
   * Follows a backup item's 202 (enable, stop, undelete, backup now, delete data) as az CLI does in
   * every recorded session: the operation id from the Azure-AsyncOperation URL, then the vault's
   * `backupOperations/{id}` until it leaves InProgress.
   */
  private followBackupOperation(
    capture: ResponseCapture,
    vault: Vault,
    action: string,
  ): ReturnType<typeof followOperation> {
    return followOperation(
      capture,
      (id, c) =>
        this.c.backup.backupOperationStatuses.get(vault.name, vault.resourceGroup, id, {
          onResponse: c.onResponse,
        }),
      this.o.follow,
      action,
    );
  }

  /** Rule 6: a refused backup names the job that is still taking its snapshot. */
  private async explainBackupInProgress(error: unknown, vm: VmFacts, vault: Vault): Promise<unknown> {
    if (!isAppError(error) || error.code !== 'azure.UserErrorBackupOperationInProgress') return error;
    const running = await this.readJobs(
      { vmName: vm.name, status: 'InProgress', operation: 'Backup', limit: 5 },
      vault,
    ).catch(() => [] as BackupJob[]);
    const job = running.at(-1);
    return new AppError(
      error.code,
      `${vm.name} is already being backed up and that backup is still taking its snapshot; a VM takes one snapshot at a time.${job ? ` The running job is ${job.id}${job.startTime ? `, started ${job.startTime}` : ''}.` : ''}`,
      {
        hint: job
          ? `Follow it with "job ${job.id}" and back up again once its snapshot is done.`
          : error.hint,
        details: { ...error.details, ...(job ? { runningJobId: job.id } : {}) },
        statusCode: error.statusCode,
      },
    );
  }

  private async readJobs(
    filter: JobFilter,
    v: { name: string; resourceGroup: string },
  ): Promise<BackupJob[]> {
    const parts = [IAAS_FILTER];
    if (filter.status) parts.push(`status eq '${filter.status}'`);
    if (filter.operation) parts.push(`operation eq '${filter.operation}'`);
    if (filter.since || filter.until) {
      parts.push(`startTime eq '${jobFilterTime(filter.since ?? new Date(0))}'`);
      // The filter has whole seconds: round the end up so a job started this second is included.
      const until = filter.until ?? this.now();
      parts.push(`endTime eq '${jobFilterTime(new Date(Math.ceil(until.getTime() / 1000) * 1000))}'`);
    }
    const limit = filter.limit ?? 50;
    const out: BackupJob[] = [];
    let read = 0;
    for await (const r of this.c.backup.backupJobs.list(v.name, v.resourceGroup, {
      filter: parts.join(' and '),
    })) {
      if (++read > MAX_JOBS_READ) break;
      const job = fromAzureJob(r, v.name);
      if (!job || (filter.vmName && job.vmName.toLowerCase() !== filter.vmName.toLowerCase())) continue;
      out.push(job);
      if (out.length >= limit) break;
    }
    return out;
  }

  private async readJob(id: string, v: { name: string; resourceGroup: string }): Promise<BackupJob> {
    try {
      const job = fromAzureJob(await this.c.backup.jobDetails.get(v.name, v.resourceGroup, id), v.name);
      if (job) return job;
    } catch (e) {
      const error = translateAzureError(e);
      if (error.statusCode !== 404) throw e;
      // A 404 for the vault (or its group) itself, not for the job in it.
      if (error.code === 'azure.ResourceNotFound' || error.code === 'azure.ResourceGroupNotFound')
        throw vaultNotFound(v);
    }
    throw new AppError('validation.job_not_found', `Vault ${v.name} has no job ${id}.`, {
      hint: 'List recent jobs with "status of jobs".',
    });
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
        hint: 'See the protected VMs with "list vms".',
      },
    );
  }
  if (item.protection.softDeleted) {
    throw new AppError(
      'validation.vm_not_protected',
      `The backup data of ${name} is deleted (soft delete keeps it until ${item.protection.softDeleted.purgeAt?.slice(0, 10) ?? 'it is purged'}); it must be undeleted before restoring.`,
      { hint: `Undelete it and protect the VM again: enable backup for ${name}` },
    );
  }
  return { item, ...(vm ? { vm } : {}) };
}

function resourceGroupOfId(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}

function vaultNotFound(v: { name: string; resourceGroup: string }): AppError {
  return new AppError(
    'validation.vault_not_found',
    `There is no vault ${v.name} in resource group ${v.resourceGroup}.`,
    { hint: `create vault ${v.name} in <region>` },
  );
}

/** `…/protectionContainers/{container}/protectableItems/{item}` → both names. */
export function protectableNamesOf(id: string): { containerName: string; itemName: string } | undefined {
  const m = /\/protectionContainers\/([^/]+)\/protectableItems\/([^/]+)$/i.exec(id);
  return m ? { containerName: decodeURIComponent(m[1]!), itemName: decodeURIComponent(m[2]!) } : undefined;
}

function itemRefOf(r: ProtectedItemResource, vaultName: string): ItemRef | undefined {
  // Azure VM items only (the list is filtered to AzureIaasVM); the SDK union does not narrow.
  const p = r.properties as AzureIaaSComputeVMProtectedItem | undefined;
  if (!r.id || !r.name || !p || !p.sourceResourceId) return undefined;
  const container = /\/protectionContainers\/([^/]+)/i.exec(r.id)?.[1];
  if (!container) return undefined;
  return {
    containerName: decodeURIComponent(container),
    itemName: r.name,
    sourceResourceId: p.sourceResourceId,
    protection: {
      state: (p.protectionState ?? 'Invalid') as ProtectionState,
      vaultName,
      // A stopped item answers "" for both.
      policyName: p.policyName || p.policyId?.split('/').pop() || undefined,
      // Before the first backup Azure answers "" and 2001-01-01: "no backup yet", not a date.
      lastBackupStatus: p.lastBackupStatus || undefined,
      lastBackupTime: isoOf(p.lastBackupTime),
      lastRecoveryPoint: isoOf(p.lastRecoveryPoint),
      ...(p.isScheduledForDeferredDelete ? { softDeleted: softDeletedOf(p) } : {}),
    },
  };
}

/** When soft-deleted data is purged: the delete's start plus the retention (14 days when not said). */
function softDeletedOf(p: AzureIaaSComputeVMProtectedItem): { deletedAt?: string; purgeAt?: string } {
  const deletedAt = isoOf(p.deferredDeleteTimeInUTC);
  const days = p.softDeleteRetentionPeriodInDays || DEFAULT_SOFT_DELETE_DAYS;
  return {
    ...(deletedAt
      ? { deletedAt, purgeAt: new Date(Date.parse(deletedAt) + days * 86_400_000).toISOString() }
      : {}),
  };
}

function softDeleteOf(v: AzureVault): Pick<Vault, 'softDelete'> {
  const settings = v.properties?.securitySettings?.softDeleteSettings;
  if (!settings?.softDeleteState) return {};
  return {
    softDelete: {
      // AlwaysON, Enabled (or casing variants): on; Disabled: off.
      enabled: !/^disabled$/i.test(settings.softDeleteState),
      retentionDays: settings.softDeleteRetentionPeriodInDays || DEFAULT_SOFT_DELETE_DAYS,
    },
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}
