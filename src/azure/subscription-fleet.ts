import type { RestoreTargets } from './backup-service.js';
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
import { AppError, closestMatches, isAppError } from '../domain/index.js';
import type { AzureBackupService } from './azure-backup-service.js';
import { newestFirst } from './azure-backup-service.js';
import type { BackupService, FleetVmList, VaultTarget } from './backup-service.js';

/** One configured subscription: its service (own clients, own request scheduler) and default vault. */
export interface FleetMember {
  id: string;
  service: AzureBackupService;
  defaultVault: { name: string; resourceGroup: string };
}

/** Display names of the subscriptions the identity can see, by id (lower case). */
export type SubscriptionNames = () => Promise<Map<string, string>>;

/** How long a subscription's vault list is trusted for routing a vault named without its subscription. */
const VAULT_LIST_TTL_MS = 60_000;

/**
 * The BackupService over several subscriptions: each call goes to the service of the
 * subscription it is about — named (by id or display name), holding the named vault, or holding the
 * named VM — and the "across all vaults" reads span all of them. With one subscription it only
 * passes calls on.
 */
export class SubscriptionFleet implements BackupService {
  private readonly vaultLists = new Map<string, { at: number; vaults: Promise<Vault[]> }>();
  private names: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly members: readonly FleetMember[],
    private readonly subscriptionNames: SubscriptionNames,
    private readonly clock: () => number = Date.now,
  ) {
    if (members.length === 0) throw new Error('A fleet needs at least one subscription.');
  }

  /** The configured subscriptions with their display names (when Azure tells them). */
  async listSubscriptions(): Promise<{ id: string; displayName?: string }[]> {
    const names = await this.displayNames();
    return this.members.map((m) => {
      const displayName = names.get(m.id.toLowerCase());
      return { id: m.id, ...(displayName ? { displayName } : {}) };
    });
  }

  // ---- Reads that span every subscription -------------------------------------------------

  async listVaults(): Promise<Vault[]> {
    return (await Promise.all(this.members.map((m) => m.service.listVaults()))).flat();
  }

  async listVmsEverywhere(): Promise<FleetVmList> {
    const lists = await Promise.all(this.members.map((m) => m.service.listVmsEverywhere()));
    return {
      vaults: lists.flatMap((l) => l.vaults),
      vms: lists.flatMap((l) => l.vms).sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  async listJobsEverywhere(filter: JobFilter = {}): Promise<BackupJob[]> {
    const lists = await Promise.all(this.members.map((m) => m.service.listJobsEverywhere(filter)));
    return newestFirst(lists.flat(), filter.limit ?? 50);
  }

  // ---- Calls about one vault ---------------------------------------------------------------

  async listVms(target?: VaultTarget): Promise<{ vault: Vault; vms: VmStatus[] }> {
    return (await this.memberFor(target)).service.listVms(vaultOnly(target));
  }

  async getVault(target?: VaultTarget): Promise<Vault> {
    return (await this.memberFor(target)).service.getVault(vaultOnly(target));
  }

  async restoreTargets(target?: VaultTarget): Promise<RestoreTargets> {
    return (await this.memberFor(target)).service.restoreTargets(vaultOnly(target));
  }

  async createVault(input: {
    name: string;
    location: string;
    resourceGroup?: string;
    subscription?: string;
  }): Promise<{ vault: Vault; created: boolean }> {
    const { subscription, ...vault } = input;
    const member = subscription ? await this.namedMember(subscription) : this.first;
    const created = await member.service.createVault(vault);
    // A vault list read before it would miss it, and with it a name now in two subscriptions.
    this.vaultLists.delete(member.id);
    return created;
  }

  async listPolicies(target?: VaultTarget): Promise<Policy[]> {
    return (await this.memberFor(target)).service.listPolicies(vaultOnly(target));
  }

  async getPolicy(name: string, target?: VaultTarget): Promise<Policy> {
    return (await this.memberFor(target)).service.getPolicy(name, vaultOnly(target));
  }

  async createPolicy(spec: PolicySpec, target?: VaultTarget): Promise<Policy> {
    return (await this.memberFor(target)).service.createPolicy(spec, vaultOnly(target));
  }

  async listJobs(filter?: JobFilter, target?: VaultTarget): Promise<BackupJob[]> {
    return (await this.memberFor(target)).service.listJobs(filter, vaultOnly(target));
  }

  async getJob(id: string, target?: VaultTarget): Promise<BackupJob> {
    return (await this.memberFor(target)).service.getJob(id, vaultOnly(target));
  }

  // ---- Calls about one VM: its vault's subscription, else the VM's own ---------------------

  async getVm(name: string, target?: VaultTarget): Promise<VmStatus> {
    return this.forVm(target, (s, t) => s.getVm(name, t));
  }

  async enableProtection(
    input: { vm: string; policy?: string } & VaultTarget,
  ): Promise<EnableProtectionResult> {
    return this.forVm(input, (s, t) => s.enableProtection({ ...input, ...t }));
  }

  async backupNow(input: { vm: string; retain?: RetainRequest } & VaultTarget): Promise<BackupNowResult> {
    return this.forVm(input, (s, t) => s.backupNow({ ...input, ...t }));
  }

  async listRecoveryPoints(vm: string, target?: VaultTarget): Promise<RecoveryPoint[]> {
    return this.forVm(target, (s, t) => s.listRecoveryPoints(vm, t));
  }

  async restore(input: RestoreInput & VaultTarget, watch?: OperationWatch): Promise<RestoreResult> {
    return this.forVm(input, (s, t) => s.restore({ ...input, ...t }, watch));
  }

  async stopProtection(
    input: { vm: string; deleteData: boolean } & VaultTarget,
    watch?: OperationWatch,
  ): Promise<StopProtectionResult> {
    return this.forVm(input, (s, t) => s.stopProtection({ ...input, ...t }, watch));
  }

  // ---- Resource groups: the subscription named, or the one that has the group ----------------

  async describeResourceGroup(name: string, subscription?: string): Promise<ResourceGroupSummary> {
    return (await this.memberForResourceGroup(name, subscription)).service.describeResourceGroup(name);
  }

  async deleteResourceGroup(name: string, watch?: OperationWatch, subscription?: string): Promise<void> {
    // Found again as the request found it: a group that since appeared in a second subscription
    // makes the deletion ask which, never guess.
    return (await this.memberForResourceGroup(name, subscription)).service.deleteResourceGroup(name, watch);
  }

  // ---- Accepted operations: the subscription recorded with them ------------------------------

  async followAccepted(op: AcceptedOperation): Promise<AcceptedOutcome> {
    if (op.kind === 'resource-group-deletion') {
      // The saved poller state holds the operation's URL, which names its subscription.
      return this.memberOfId(op.resumeFrom).service.followAccepted(op);
    }
    return (
      await this.memberFor({ vault: op.vault, resourceGroup: op.resourceGroup })
    ).service.followAccepted(op);
  }

  async readPermissions(scope: string): Promise<PermissionSet[]> {
    return this.memberOfId(scope).service.readPermissions(scope);
  }

  // ---- Routing -----------------------------------------------------------------------------

  private get first(): FleetMember {
    return this.members[0]!;
  }

  /** The member whose id appears in an ARM id or URL; the first when none does. */
  private memberOfId(text: string): FleetMember {
    const id = /\/subscriptions\/([^/"?]+)/i.exec(text)?.[1]?.toLowerCase();
    return this.members.find((m) => m.id.toLowerCase() === id) ?? this.first;
  }

  /** The subscription a vault target is about (see VaultTarget.subscription). */
  private async memberFor(target?: VaultTarget): Promise<FleetMember> {
    if (target?.subscription) return this.namedMember(target.subscription);
    if (this.members.length === 1 || !target?.vault) return this.first;
    const named = (v: { name: string; resourceGroup: string }) =>
      v.name.toLowerCase() === target.vault!.toLowerCase() &&
      (!target.resourceGroup || v.resourceGroup.toLowerCase() === target.resourceGroup.toLowerCase());
    // Every subscription is asked, the default vaults' too: a vault of the same name in another
    // subscription makes it a question, never a guess. A default vault counts even when its
    // subscription's vault list cannot be read.
    const has = await Promise.all(
      this.members.map(async (m) => named(m.defaultVault) || (await this.vaultsOf(m)).some(named)),
    );
    const holding = this.members.filter((_, i) => has[i]);
    if (holding.length <= 1) return holding[0] ?? this.first;
    throw await this.ambiguous(
      'validation.vault_ambiguous',
      `More than one subscription has a vault called ${target.vault}${target.resourceGroup ? ` in ${target.resourceGroup}` : ''}.`,
      holding,
    );
  }

  /** A resource group named without its subscription: the one configured subscription that has it. */
  private async memberForResourceGroup(name: string, subscription?: string): Promise<FleetMember> {
    if (subscription) return this.namedMember(subscription);
    if (this.members.length === 1) return this.first;
    const has = await Promise.all(this.members.map((m) => m.service.hasResourceGroup(name)));
    const holding = this.members.filter((_, i) => has[i]);
    // None: the first answers, with Azure's own "not found".
    if (holding.length <= 1) return holding[0] ?? this.first;
    throw await this.ambiguous(
      'validation.resource_group_ambiguous',
      `More than one subscription has a resource group called ${name}.`,
      holding,
    );
  }

  /**
   * "Which subscription?": the candidates by display name (id when two share one) to choose from,
   * and by id in `details.subscriptions`, from which chat asks the question with a button each.
   */
  private async ambiguous(code: string, message: string, candidates: FleetMember[]): Promise<AppError> {
    const names = await this.displayNames();
    const subscriptions = candidates.map((m) => {
      const displayName = names.get(m.id.toLowerCase());
      return { id: m.id, ...(displayName ? { displayName } : {}) };
    });
    const shown = subscriptions.map((s) => s.displayName ?? s.id);
    const unique = new Set(shown.map((n) => n.toLowerCase())).size === shown.length;
    return new AppError(code, message, {
      suggestions: [
        {
          kind: 'choose',
          what: 'subscription',
          names: unique ? shown : subscriptions.map((s) => s.id),
          near: true,
        },
      ],
      details: { subscriptions },
    });
  }

  /** A subscription named by id or display name; only configured ones can be used. */
  private async namedMember(name: string): Promise<FleetMember> {
    const wanted = name.trim().toLowerCase();
    const byId = this.members.find((m) => m.id.toLowerCase() === wanted);
    if (byId) return byId;
    const names = await this.displayNames();
    const byName = this.members.filter((m) => names.get(m.id.toLowerCase())?.toLowerCase() === wanted);
    if (byName.length === 1) return byName[0]!;
    const known = this.members.map((m) => names.get(m.id.toLowerCase()) ?? m.id);
    const near = closestMatches(name, known);
    throw new AppError(
      byName.length > 1 ? 'validation.subscription_ambiguous' : 'validation.subscription_not_found',
      byName.length > 1
        ? `More than one configured subscription is called ${name}: name it by its id.`
        : `The bot does not work in a subscription called ${name}.`,
      {
        suggestions: [
          byName.length > 1
            ? { kind: 'choose', what: 'subscription', names: byName.map((m) => m.id), near: true }
            : {
                kind: 'choose',
                what: 'subscription',
                names: near.length ? near : known,
                near: near.length > 0,
              },
          { kind: 'setting', name: 'AZURE_SUBSCRIPTION_IDS' },
        ],
      },
    );
  }

  /**
   * A call about a VM: to the subscription of the vault (or subscription) named; with neither,
   * to the first subscription, and when that has no such VM, to the one that has it (rule 4: only
   * a vault of the VM's own subscription can protect it).
   */
  private async forVm<T>(
    target: VaultTarget | undefined,
    call: (s: AzureBackupService, t: VaultTarget) => Promise<T>,
  ): Promise<T> {
    const t = vaultOnly(target) ?? {};
    if (target?.subscription || target?.vault || this.members.length === 1) {
      return call((await this.memberFor(target)).service, t);
    }
    let firstError: unknown;
    for (const member of this.members) {
      try {
        return await call(member.service, t);
      } catch (e) {
        if (!isAppError(e) || e.code !== 'validation.vm_not_found') throw e;
        firstError ??= e;
      }
    }
    throw firstError;
  }

  private vaultsOf(member: FleetMember): Promise<Vault[]> {
    const cached = this.vaultLists.get(member.id);
    if (cached && this.clock() - cached.at < VAULT_LIST_TTL_MS) return cached.vaults;
    const vaults = member.service.listVaults().catch(() => [] as Vault[]);
    this.vaultLists.set(member.id, { at: this.clock(), vaults });
    return vaults;
  }

  private displayNames(): Promise<Map<string, string>> {
    // Display names change rarely: read once, and again only after a failed read.
    this.names ??= this.subscriptionNames().catch(() => {
      this.names = undefined;
      return new Map<string, string>();
    });
    return this.names;
  }
}

/** The target as one subscription's service takes it. */
function vaultOnly(target: VaultTarget | undefined): VaultTarget | undefined {
  if (!target) return undefined;
  const { subscription: _subscription, ...rest } = target;
  return rest;
}
