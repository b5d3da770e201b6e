import type {
  AcceptedOperation,
  AcceptedOutcome,
  BackupJob,
  BackupNowResult,
  EnableProtectionResult,
  OperationWatch,
  RetainRequest,
  StopProtectionResult,
  Vault,
  VmFacts,
} from '../domain/index.js';
import {
  AZURE_FABRIC,
  AppError,
  MIN_WINDOWS_AGENT,
  assertPolicyChange,
  assertPolicyFitsVm,
  command,
  expectedConsistency,
  fact,
  isAppError,
  resolveRetainUntil,
  retainUntilInstant,
  template,
} from '../domain/index.js';
import type { VaultTarget } from './backup-service.js';
import { translateAzureError } from './azure-error-translation.js';
import type { AzureScope } from './azure-scope.js';
import type { ItemRef } from './item-mapping.js';
import type { JobReads } from './job-reads.js';
import { followOperation, jobIdOf, requiredJobId } from './operation-follower.js';
import type { ProtectionCatalogue } from './protection-catalogue.js';
import { statusOf } from './protection-catalogue.js';
import { ResponseCapture } from './response-capture.js';
import type { VmDirectory } from './vm-directory.js';

type FollowedOperation = Awaited<ReturnType<typeof followOperation>>;

/**
 * What changes a VM's protection: enable (undeleting first when needed), backup now, stop (keeping
 * or deleting data), each a 202 followed to its end through the vault's backupOperations.
 */
export class BackupOperations {
  constructor(
    private readonly s: AzureScope,
    private readonly catalogue: ProtectionCatalogue,
    private readonly vms: VmDirectory,
    private readonly jobs: JobReads,
  ) {}

  async enableProtection(
    input: { vm: string; policy?: string } & VaultTarget,
  ): Promise<EnableProtectionResult> {
    const vault = await this.catalogue.readVault(input);
    const [vm, items] = await Promise.all([
      this.vms.findVmWithAgent(input.vm),
      this.catalogue.readProtectedItems(vault),
    ]);
    const status = statusOf(vm, vault, items);
    if (!status.eligibility.eligible) {
      const where =
        status.eligibility.reason?.code === 'other-subscription'
          ? `subscription ${vm.subscriptionId}; the vault protects VMs of subscription ${vault.subscriptionId}`
          : `region ${vm.location}; the vault is in ${vault.location} and protects VMs of that region (and its Extended Zones)`;
      throw new AppError(
        'validation.vm_not_eligible',
        `${vm.name} cannot be protected by vault ${vault.name}: it is in ${where} only.`,
        {
          suggestions: [command('vaults'), template(`create vault <name> in ${vm.location}`)],
          details: { reason: status.eligibility.reason },
        },
      );
    }
    const policy = input.policy
      ? await this.catalogue.readPolicy(input.policy, vault)
      : await this.catalogue.defaultPolicyFor(vm, vault);
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
      const problem =
        status.agent.issue === 'outdated'
          ? `runs Windows VM agent ${vm.agentVersion ?? 'unknown'}; Azure Backup needs ${MIN_WINDOWS_AGENT} or later`
          : 'has no VM agent reporting';
      throw new AppError('validation.vm_agent', `${vm.name} ${problem}.`, {
        suggestions: [fact('install-agent', { os: vm.osType, minimum: MIN_WINDOWS_AGENT })],
        details: { vm: vm.name, agentVersion: vm.agentVersion, issue: status.agent.issue },
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
    const names = existing ?? (await this.catalogue.findProtectable(vm, vault));
    const op = await this.putProtectedItem(
      vault,
      names,
      { sourceResourceId: vm.id, policyId: policy.id },
      `enable backup for ${vm.name}`,
    );
    const after = await this.catalogue.readProtectedItems(vault);
    return {
      vm: statusOf(vm, vault, after),
      policy,
      jobId: jobIdOf(op),
      alreadyProtected: false,
      ...(undeleted ? { undeleted } : {}),
      consistency: expectedConsistency(vm),
    };
  }

  async backupNow(input: { vm: string; retain?: RetainRequest } & VaultTarget): Promise<BackupNowResult> {
    const retainUntil = resolveRetainUntil(input.retain, this.s.now());
    const vault = await this.catalogue.readVault(input);
    const [vm, items] = await Promise.all([
      this.vms.findVmWithAgent(input.vm),
      this.catalogue.readProtectedItems(vault),
    ]);
    const item = protectedItemOf(vm, vault, items);
    const capture = new ResponseCapture();
    await this.s.clients.backup.backups.trigger(
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
      vm: statusOf(vm, vault, items),
      job: await this.jobs.readJob(jobId, vault),
      retainUntil,
      consistency: expectedConsistency(vm),
    };
  }

  async stopProtection(
    input: { vm: string; deleteData: boolean } & VaultTarget,
    action: string,
    watch?: OperationWatch,
  ): Promise<StopProtectionResult> {
    const vault = await this.catalogue.readVault(input);
    const [vm, items] = await Promise.all([
      this.vms.findVm(input.vm),
      this.catalogue.readProtectedItems(vault),
    ]);
    const item = items.get(vm.id.toLowerCase());
    if (!item) {
      throw new AppError(
        'validation.vm_not_protected',
        `${vm.name} is not backed up in vault ${vault.name}: there is nothing to stop.`,
        { suggestions: [command('list vms')] },
      );
    }
    const softDeleted = item.protection.softDeleted;
    if (softDeleted) {
      throw new AppError(
        'validation.already_deleted',
        `The backup data of ${vm.name} is already deleted${softDeleted.purgeAt ? `; soft delete keeps it until ${softDeleted.purgeAt.slice(0, 10)}, and it can be undeleted until then` : ''}.`,
        // Enabling backup again undeletes the data first.
        { suggestions: [command(`enable backup for ${vm.name}`)] },
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
    await this.s.clients.backup.protectedItems.delete(
      vault.name,
      vault.resourceGroup,
      AZURE_FABRIC,
      item.containerName,
      item.itemName,
      { onResponse: capture.onResponse },
    );
    await this.tellAccepted(capture, vault, watch);
    const op = await this.followBackupOperation(capture, vault, action);
    // With soft delete the item stays, its data kept until the purge date Azure gives.
    const until = (await this.catalogue.readProtectedItems(vault)).get(vm.id.toLowerCase())?.protection
      .softDeleted?.purgeAt;
    return {
      vmName: vm.name,
      deletedData: true,
      jobId: jobIdOf(op),
      ...(until ? { softDeletedUntil: until } : {}),
    };
  }

  /** One look at a backup operation accepted earlier (by this process or a dead one). */
  async followAcceptedBackupOperation(
    op: Extract<AcceptedOperation, { kind: 'backup-operation' }>,
  ): Promise<AcceptedOutcome> {
    try {
      const status = await this.s.clients.backup.backupOperationStatuses.get(
        op.vault,
        op.resourceGroup,
        op.operationId,
      );
      if (status.status === 'InProgress' || status.status === 'Invalid') return { state: 'running' };
      if (status.status === 'Succeeded') {
        const jobId = jobIdOf(status);
        return { state: 'succeeded', ...(jobId ? { jobId } : {}) };
      }
      return {
        state: 'failed',
        message: status.error?.message ?? `The operation ended ${status.status ?? 'without a status'}.`,
        code: `azure.${status.error?.code ?? 'OperationFailed'}`,
      };
    } catch (e) {
      const error = translateAzureError(e);
      return { state: 'failed', message: error.message, code: error.code };
    }
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
  ): Promise<FollowedOperation> {
    const capture = new ResponseCapture();
    await this.s.clients.backup.protectedItems.createOrUpdate(
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
   * Follows a backup item's 202 (enable, stop, undelete, backup now, delete data, restore) as az
   * CLI does in every recorded session: the operation id from the Azure-AsyncOperation URL, then
   * the vault's `backupOperations/{id}` until it leaves InProgress.
   */
  followBackupOperation(capture: ResponseCapture, vault: Vault, action: string): Promise<FollowedOperation> {
    return followOperation(
      capture,
      (id, c) =>
        this.s.clients.backup.backupOperationStatuses.get(vault.name, vault.resourceGroup, id, {
          onResponse: c.onResponse,
        }),
      this.s.follow,
      action,
    );
  }

  /**
   * Puts a destructive operation Azure accepted on record before it is followed, so that a process
   * dying while following it leaves the next one its operation id to follow (approvals' sweep).
   */
  async tellAccepted(
    capture: ResponseCapture,
    vault: Vault,
    watch: OperationWatch | undefined,
    startsJob = false,
  ): Promise<void> {
    const operationId = capture.operationId();
    if (!watch || !operationId) return;
    await watch.onAccepted({
      kind: 'backup-operation',
      vault: vault.name,
      resourceGroup: vault.resourceGroup,
      operationId,
      ...(startsJob ? { startsJob } : {}),
    });
  }

  /** Rule 6: a refused backup names the job that is still taking its snapshot. */
  private async explainBackupInProgress(error: unknown, vm: VmFacts, vault: Vault): Promise<unknown> {
    if (!isAppError(error) || error.code !== 'azure.UserErrorBackupOperationInProgress') return error;
    const running = await this.jobs
      .readJobs({ vmName: vm.name, status: 'InProgress', operation: 'Backup', limit: 5 }, vault)
      .catch(() => [] as BackupJob[]);
    const job = running.at(-1);
    return new AppError(
      error.code,
      `${vm.name} is already being backed up and that backup is still taking its snapshot; a VM takes one snapshot at a time.${job ? ` The running job is ${job.id}${job.startTime ? `, started ${job.startTime}` : ''}.` : ''}`,
      {
        suggestions: job
          ? [
              fact('wait-for-snapshot', { jobId: job.id }),
              { kind: 'command', text: `job ${job.id}`, quiet: true },
            ]
          : error.suggestions.slice(),
        details: { ...error.details, ...(job ? { runningJobId: job.id } : {}) },
        statusCode: error.statusCode,
      },
    );
  }
}

/** The VM's item that a backup can run on: protected, not stopped, not soft-deleted. */
function protectedItemOf(vm: VmFacts, vault: Vault, items: Map<string, ItemRef>): ItemRef {
  const item = items.get(vm.id.toLowerCase());
  const enable = [command(`enable backup for ${vm.name}`)];
  if (!item) {
    throw new AppError(
      'validation.vm_not_protected',
      `${vm.name} is not backed up in vault ${vault.name} yet.`,
      {
        suggestions: enable,
      },
    );
  }
  if (item.protection.softDeleted) {
    throw new AppError(
      'validation.vm_not_protected',
      `The backup data of ${vm.name} was deleted${item.protection.softDeleted.purgeAt ? ` (soft delete keeps it until ${item.protection.softDeleted.purgeAt.slice(0, 10)})` : ''}, so it cannot be backed up now.`,
      { suggestions: enable },
    );
  }
  if (item.protection.state !== 'Protected' && item.protection.state !== 'IRPending') {
    throw new AppError(
      'validation.vm_not_protected',
      `Backup of ${vm.name} is stopped (${item.protection.state}), so it cannot be backed up now.`,
      { suggestions: enable },
    );
  }
  return item;
}
