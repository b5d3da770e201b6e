import type {
  AcceptedOperation,
  AcceptedOutcome,
  BackupJob,
  BackupNowResult,
  EnableProtectionResult,
  JobFilter,
  OperationWatch,
  PermissionSet,
  Policy,
  PolicySpec,
  RecoveryPoint,
  ResourceGroupSummary,
  RestoreInput,
  RestoreResult,
  RetainRequest,
  StopProtectionResult,
  Vault,
  VmStatus,
} from '../domain/index.js';
import { AppError, assertName, command, normalizeRegion } from '../domain/index.js';
import type { AzureClients } from './azure-clients.js';
import { translateAzureError } from './azure-error-translation.js';
import type { AzureScope } from './azure-scope.js';
import { BackupOperations } from './backup-operations.js';
import type { BackupService, FleetVmList, VaultTarget } from './backup-service.js';
import type { ItemRef } from './item-mapping.js';
import { JobReads, assertJobId } from './job-reads.js';
import type { FollowSettings } from './operation-follower.js';
import { readPermissions } from './permissions-reader.js';
import { ProtectionCatalogue, statusOf } from './protection-catalogue.js';
import { ResourceGroupOperations } from './resource-group-operations.js';
import type { RestoreSettings } from './azure-settings.js';
import type { RestoreTargets } from './backup-service.js';
import { RestoreOperations } from './restore-operations.js';
import { VmDirectory } from './vm-directory.js';

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
  restore?: RestoreSettings;
  now?: () => Date;
}

/**
 * The BackupService of one subscription on the official SDK clients: a facade that composes the
 * parts (VM directory, protection catalogue, backup and restore operations, jobs, resource groups)
 * and makes sure that whatever escapes is an AppError.
 */
export class AzureBackupService implements BackupService {
  readonly subscriptionId: string;
  private readonly scope: AzureScope;
  private readonly vms: VmDirectory;
  private readonly catalogue: ProtectionCatalogue;
  private readonly jobs: JobReads;
  private readonly operations: BackupOperations;
  private readonly restores: RestoreOperations;
  private readonly resourceGroups: ResourceGroupOperations;

  constructor(o: AzureBackupServiceOptions) {
    this.subscriptionId = o.subscriptionId;
    this.scope = {
      clients: o.clients,
      subscriptionId: o.subscriptionId,
      endpoint: o.endpoint,
      follow: o.follow,
      lroPollIntervalMs: o.lroPollIntervalMs,
      now: o.now ?? (() => new Date()),
    };
    this.vms = new VmDirectory(this.scope);
    this.catalogue = new ProtectionCatalogue(this.scope, {
      defaultVault: o.defaultVault,
      restorePointResourceGroupPrefix: o.restorePointResourceGroupPrefix,
    });
    this.jobs = new JobReads(this.scope);
    this.operations = new BackupOperations(this.scope, this.catalogue, this.vms, this.jobs);
    this.restores = new RestoreOperations(
      this.scope,
      o.restore ?? { stagingStorageAccounts: [], subnets: [] },
      this.catalogue,
      this.vms,
      this.jobs,
      this.operations,
    );
    this.resourceGroups = new ResourceGroupOperations(this.scope, this.catalogue);
  }

  // ---- VMs -------------------------------------------------------------------------------

  async listVms(target?: VaultTarget): Promise<{ vault: Vault; vms: VmStatus[] }> {
    return this.run('list the VMs', async () => {
      const vault = await this.catalogue.readVault(target);
      const [vms, items] = await Promise.all([this.vms.readVms(), this.catalogue.readProtectedItems(vault)]);
      return {
        vault,
        vms: vms.map((vm) => statusOf(vm, vault, items)).sort((a, b) => a.name.localeCompare(b.name)),
      };
    });
  }

  async getVm(name: string, target?: VaultTarget): Promise<VmStatus> {
    return this.run(`read VM ${name}`, async () => {
      const vault = await this.catalogue.readVault(target);
      const [vm, items] = await Promise.all([
        this.vms.findVmWithAgent(name),
        this.catalogue.readProtectedItems(vault),
      ]);
      return statusOf(vm, vault, items);
    });
  }

  // ---- Vaults and policies ---------------------------------------------------------------

  async listVaults(): Promise<Vault[]> {
    return this.run('list the vaults', () => this.catalogue.listVaults());
  }

  async listVmsEverywhere(): Promise<FleetVmList> {
    return this.run('list the VMs of every vault', async () => {
      const [vaults, vms, home] = await Promise.all([
        this.catalogue.listVaults(),
        this.vms.readVms(),
        this.catalogue.readVault().catch(() => undefined),
      ]);
      const items = await Promise.all(vaults.map((v) => this.catalogue.readProtectedItems(v)));
      const none = new Map<string, ItemRef>();
      return {
        vaults,
        vms: vms
          .map((vm) => {
            // Shown against the vault that holds its backup, else the default vault (or one of its region).
            const at = items.findIndex((m) => m.has(vm.id.toLowerCase()));
            if (at >= 0) return statusOf(vm, vaults[at]!, items[at]!);
            const vault =
              home ?? vaults.find((v) => v.location === normalizeRegion(vm.location)) ?? vaults[0];
            return vault ? statusOf(vm, vault, none) : undefined;
          })
          .filter((s): s is VmStatus => s !== undefined)
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    });
  }

  async getVault(target?: VaultTarget): Promise<Vault> {
    return this.run('read the vault', () => this.catalogue.readVault(target));
  }

  async createVault(input: { name: string; location: string; resourceGroup?: string }): Promise<{
    vault: Vault;
    created: boolean;
  }> {
    return this.run(`create vault ${input.name}`, () => this.catalogue.createVault(input));
  }

  async listPolicies(target?: VaultTarget): Promise<Policy[]> {
    return this.run('list the backup policies', () =>
      this.catalogue.readPolicies(this.catalogue.vaultRef(target)),
    );
  }

  async getPolicy(name: string, target?: VaultTarget): Promise<Policy> {
    return this.run(`read policy ${name}`, () =>
      this.catalogue.readPolicy(name, this.catalogue.vaultRef(target)),
    );
  }

  async createPolicy(spec: PolicySpec, target?: VaultTarget): Promise<Policy> {
    return this.run(`create policy ${spec.name}`, () => this.catalogue.createPolicy(spec, target));
  }

  // ---- Protection ------------------------------------------------------------------------

  async enableProtection(
    input: { vm: string; policy?: string } & VaultTarget,
  ): Promise<EnableProtectionResult> {
    return this.run(`enable backup for ${input.vm}`, () => this.operations.enableProtection(input));
  }

  async backupNow(input: { vm: string; retain?: RetainRequest } & VaultTarget): Promise<BackupNowResult> {
    return this.run(`back up ${input.vm}`, () => this.operations.backupNow(input));
  }

  async stopProtection(
    input: { vm: string; deleteData: boolean } & VaultTarget,
    watch?: OperationWatch,
  ): Promise<StopProtectionResult> {
    const action = input.deleteData
      ? `stop backup and delete the backup data of ${input.vm}`
      : `stop backup of ${input.vm}`;
    return this.run(action, () => this.operations.stopProtection(input, action, watch));
  }

  // ---- Jobs and recovery points ----------------------------------------------------------

  async listJobs(filter: JobFilter = {}, target?: VaultTarget): Promise<BackupJob[]> {
    return this.run('list the backup jobs', () =>
      this.jobs.readJobs(filter, this.catalogue.vaultRef(target)),
    );
  }

  async listJobsEverywhere(filter: JobFilter = {}): Promise<BackupJob[]> {
    return this.run('list the backup jobs of every vault', async () => {
      const vaults = await this.catalogue.listVaults();
      const lists = await Promise.all(vaults.map((v) => this.jobs.readJobs(filter, v)));
      return newestFirst(lists.flat(), filter.limit ?? 50);
    });
  }

  async getJob(id: string, target?: VaultTarget): Promise<BackupJob> {
    assertJobId(id);
    return this.run(`read job ${id}`, () => this.jobs.readJob(id, this.catalogue.vaultRef(target)));
  }

  async listRecoveryPoints(vmName: string, target?: VaultTarget): Promise<RecoveryPoint[]> {
    return this.run(`list the recovery points of ${vmName}`, async () => {
      const vault = await this.catalogue.readVault(target);
      const [vm, items] = await Promise.all([
        this.vms.findVm(vmName),
        this.catalogue.readProtectedItems(vault),
      ]);
      const item = items.get(vm.id.toLowerCase());
      if (!item) {
        throw new AppError(
          'validation.vm_not_protected',
          `${vm.name} is not backed up in vault ${vault.name}, so it has no recovery points there.`,
          { suggestions: [command(`enable backup for ${vm.name}`)] },
        );
      }
      return this.catalogue.readRecoveryPoints(vault, item);
    });
  }

  async restoreTargets(target: VaultTarget = {}): Promise<RestoreTargets> {
    return this.run('read the restore targets', () => this.restores.targets(target));
  }

  async restore(input: RestoreInput & VaultTarget, watch?: OperationWatch): Promise<RestoreResult> {
    const action = `restore ${input.vm}`;
    return this.run(action, () => this.restores.restore(input, action, watch));
  }

  // ---- Resource groups and accepted operations -------------------------------------------

  async describeResourceGroup(name: string): Promise<ResourceGroupSummary> {
    assertName('resourceGroup', name);
    return this.run(`read resource group ${name}`, () => this.resourceGroups.describe(name));
  }

  /** For the fleet: which subscriptions have a resource group named in chat without its subscription. */
  async hasResourceGroup(name: string): Promise<boolean> {
    assertName('resourceGroup', name);
    return this.run(`read resource group ${name}`, () => this.resourceGroups.exists(name));
  }

  async deleteResourceGroup(name: string, watch?: OperationWatch): Promise<void> {
    assertName('resourceGroup', name);
    return this.run(`delete resource group ${name}`, () => this.resourceGroups.delete(name, watch));
  }

  async followAccepted(op: AcceptedOperation): Promise<AcceptedOutcome> {
    return op.kind === 'resource-group-deletion'
      ? this.resourceGroups.followDeletion(op.resourceGroup, op.resumeFrom)
      : this.operations.followAcceptedBackupOperation(op);
  }

  /** The bot identity's effective permissions at a scope, for `check:azure`. */
  async readPermissions(scope: string): Promise<PermissionSet[]> {
    return this.run(`read the permissions on ${scope}`, () => readPermissions(this.scope, scope));
  }

  // Every public method is async, so that a refusal before any call is a rejection, not a throw.

  /** Every public call goes through here so that what escapes is an AppError. */
  private async run<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw translateAzureError(e, action);
    }
  }
}

/** Jobs of several vaults as one list: newest first, at most `limit`. */
export function newestFirst(jobs: BackupJob[], limit: number): BackupJob[] {
  return [...jobs].sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? '')).slice(0, limit);
}
