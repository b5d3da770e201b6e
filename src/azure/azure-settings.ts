import type { EnvReader } from '../domain/env-reader.js';
import { GUID } from '../domain/env-reader.js';

export interface RetrySettings {
  /** Retries of one request on 429/5xx/network errors (Retry-After is honoured). */
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
}

export interface SubscriptionSettings {
  id: string;
  vaultName: string;
  vaultResourceGroup: string;
}

export interface RestoreSettings {
  /**
   * Staging storage accounts and default subnets of new VMs (RESTORE_STAGING_STORAGE_ACCOUNT,
   * RESTORE_SUBNET), each `<rg>/<name…>` or a full id. A restore takes the first that exists in its
   * vault's subscription and region: a short form names one in whichever subscription the restore
   * runs, an id only in its own. So one setting serves every subscription and region of a fleet.
   */
  stagingStorageAccounts: readonly string[];
  subnets: readonly string[];
}

export interface AzureSettings {
  /** `sandbox`: the local ARM-compatible server started in-process; `azure`: real Azure. */
  mode: 'sandbox' | 'azure';
  /** The first (default) subscription: the one the short command forms act in. */
  subscriptionId: string;
  /** Default vault and its resource group (of the first subscription), so the short commands work. */
  vaultName: string;
  vaultResourceGroup: string;
  /**
   * Every subscription the bot works in, each with its default vault; the first is the one above.
   * From AZURE_SUBSCRIPTION_IDS (`<id>:<resource group>/<vault>,…`), or AZURE_SUBSCRIPTION_ID alone.
   */
  subscriptions: SubscriptionSettings[];
  /** ARM endpoint; in sandbox mode the sandbox's own URL is used. */
  armEndpoint: string;
  retry: RetrySettings;
  /** Longest wait between two reads of an operation status (Retry-After is honoured below it). */
  operationPollMaxIntervalMs: number;
  /** Give up following an operation after this long. */
  operationTimeoutMs: number;
  /**
   * The Recovery Services request budget the bot spends (RequestBudgetScheduler): requests kept for
   * people's commands, and the refill assumed while no response says how much is left.
   */
  requestBudget: { reserve: number; refillPerSecond: number };
  /**
   * Restores: staging storage accounts and the subnets new VMs go on by default, each `<rg>/<name…>`
   * (in whichever subscription the restore runs) or a full resource id; a restore takes the first
   * in its vault's subscription and region. Empty when not configured.
   */
  restore: RestoreSettings;
}

/** What the sandbox holds, used when BACKUP_MODE=sandbox leaves a setting unset. */
export interface SandboxAzureDefaults {
  subscriptionId: string;
  vaultName: string;
  vaultResourceGroup: string;
  restore: RestoreSettings;
}

interface ListedSubscription {
  id: string;
  vault?: { name: string; resourceGroup: string };
}

/**
 * BACKUP_MODE, AZURE_SUBSCRIPTION_ID(S), AZURE_VAULT_NAME, AZURE_RESOURCE_GROUP, AZURE_ARM_ENDPOINT,
 * AZURE_* retries, polling and request budget, and RESTORE_*; unset ones in sandbox mode take the
 * sandbox's.
 */
export function readAzureSettings(read: EnvReader, sandboxDefaults: SandboxAzureDefaults): AzureSettings {
  const listed = parseSubscriptionList(read);
  if (listed && read.string('AZURE_SUBSCRIPTION_ID')) {
    read.problem('Set AZURE_SUBSCRIPTION_IDS or AZURE_SUBSCRIPTION_ID, not both.');
  }
  const subscriptionId = listed?.[0]?.id ?? read.string('AZURE_SUBSCRIPTION_ID');
  const mode = read.oneOf('BACKUP_MODE', ['sandbox', 'azure'] as const, subscriptionId ? 'azure' : 'sandbox');
  const sandbox = mode === 'sandbox';
  const firstVault = listed?.[0]?.vault;
  const azure: AzureSettings = {
    mode,
    subscriptionId: subscriptionId ?? sandboxDefaults.subscriptionId,
    vaultName:
      firstVault?.name ?? read.string('AZURE_VAULT_NAME') ?? (sandbox ? sandboxDefaults.vaultName : ''),
    vaultResourceGroup:
      firstVault?.resourceGroup ??
      read.string('AZURE_RESOURCE_GROUP') ??
      (sandbox ? sandboxDefaults.vaultResourceGroup : ''),
    subscriptions: [],
    armEndpoint: read.url('AZURE_ARM_ENDPOINT') ?? 'https://management.azure.com',
    retry: {
      maxRetries: read.int('AZURE_MAX_RETRIES', 5, 0, 20),
      retryDelayInMs: read.int('AZURE_RETRY_DELAY_MS', 800, 0, 60_000),
      maxRetryDelayInMs: read.int('AZURE_MAX_RETRY_DELAY_MS', 60_000, 0, 600_000),
    },
    operationPollMaxIntervalMs: read.int('AZURE_OPERATION_POLL_MS', sandbox ? 500 : 5_000, 0, 120_000),
    operationTimeoutMs: read.int('AZURE_OPERATION_TIMEOUT_MS', 600_000, 1_000, 86_400_000),
    requestBudget: {
      reserve: read.int('AZURE_REQUEST_RESERVE', 30, 0, 10_000),
      refillPerSecond: read.number('AZURE_REQUEST_REFILL_PER_SECOND', 1, 0.01, 10_000),
    },
    // The sandbox has one of each in each of its subscriptions (and regions).
    restore: readRestoreSettings(read, sandbox ? sandboxDefaults.restore : undefined),
  };
  azure.subscriptions = subscriptionsOf(read, azure, listed);
  if (mode === 'azure') checkRealAzure(read, azure, subscriptionId, listed);
  return azure;
}

/**
 * AZURE_SUBSCRIPTION_IDS: `<subscription id>[:<resource group>/<vault>]`, comma-separated, the
 * first being the default subscription (its vault may come from AZURE_VAULT_NAME and
 * AZURE_RESOURCE_GROUP instead). Undefined when the variable is not set.
 */
function parseSubscriptionList(read: EnvReader): ListedSubscription[] | undefined {
  const value = read.string('AZURE_SUBSCRIPTION_IDS');
  if (value === undefined) return undefined;
  const out: ListedSubscription[] = [];
  let malformed = false;
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^:\s]+)(?::([^/\s]+)\/([^/\s]+))?$/.exec(part);
    if (!m || !GUID.test(m[1]!)) {
      read.problem(
        `AZURE_SUBSCRIPTION_IDS: "${part}" is not <subscription id>:<resource group>/<vault> (the id a GUID).`,
      );
      malformed = true;
      continue;
    }
    if (out.some((s) => s.id.toLowerCase() === m[1]!.toLowerCase())) {
      read.problem(`AZURE_SUBSCRIPTION_IDS names subscription ${m[1]} twice.`);
      malformed = true;
      continue;
    }
    out.push({ id: m[1]!, ...(m[2] ? { vault: { resourceGroup: m[2], name: m[3]! } } : {}) });
  }
  if (out.length === 0 && !malformed)
    read.problem('AZURE_SUBSCRIPTION_IDS is set but names no subscription.');
  return out;
}

/** RESTORE_STAGING_STORAGE_ACCOUNT and RESTORE_SUBNET, or `fallback`'s when unset. */
function readRestoreSettings(read: EnvReader, fallback: RestoreSettings | undefined): RestoreSettings {
  const staging = read.list('RESTORE_STAGING_STORAGE_ACCOUNT');
  const subnets = read.list('RESTORE_SUBNET');
  const restore: RestoreSettings = {
    stagingStorageAccounts: staging.length ? staging : [...(fallback?.stagingStorageAccounts ?? [])],
    subnets: subnets.length ? subnets : [...(fallback?.subnets ?? [])],
  };
  for (const account of restore.stagingStorageAccounts) {
    if (
      !/^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+|[^/\s]+\/[^/\s]+)$/i.test(
        account,
      )
    ) {
      read.problem(
        `RESTORE_STAGING_STORAGE_ACCOUNT must list <resource group>/<account> or storage account ids (got "${account}").`,
      );
    }
  }
  for (const subnet of restore.subnets) {
    if (
      !/^(\/subscriptions\/.+\/virtualNetworks\/[^/]+\/subnets\/[^/]+|[^/\s]+\/[^/\s]+\/[^/\s]+)$/i.test(
        subnet,
      )
    ) {
      read.problem(
        `RESTORE_SUBNET must list <resource group>/<vnet>/<subnet> or subnet ids (got "${subnet}").`,
      );
    }
  }
  return restore;
}

/** The default subscription first, then the other listed ones, each of which must name its vault. */
function subscriptionsOf(
  read: EnvReader,
  azure: AzureSettings,
  listed: ListedSubscription[] | undefined,
): SubscriptionSettings[] {
  for (const s of listed?.slice(1) ?? []) {
    if (!s.vault)
      read.problem(
        `AZURE_SUBSCRIPTION_IDS: give subscription ${s.id} its default vault (${s.id}:<resource group>/<vault>).`,
      );
  }
  return [
    { id: azure.subscriptionId, vaultName: azure.vaultName, vaultResourceGroup: azure.vaultResourceGroup },
    ...(listed ?? []).slice(1).map((s) => ({
      id: s.id,
      vaultName: s.vault?.name ?? '',
      vaultResourceGroup: s.vault?.resourceGroup ?? '',
    })),
  ];
}

/** Real Azure has no defaults to fall back on: the subscription and its default vault are required. */
function checkRealAzure(
  read: EnvReader,
  azure: AzureSettings,
  subscriptionId: string | undefined,
  listed: ListedSubscription[] | undefined,
): void {
  if (!subscriptionId) read.problem('AZURE_SUBSCRIPTION_ID is required when BACKUP_MODE=azure.');
  // Listed ids were checked by parseSubscriptionList.
  else if (!listed && !GUID.test(subscriptionId)) {
    read.problem(`AZURE_SUBSCRIPTION_ID must be a GUID (got "${subscriptionId}").`);
  }
  if (!azure.vaultName)
    read.problem('AZURE_VAULT_NAME (the default vault) is required when BACKUP_MODE=azure.');
  if (!azure.vaultResourceGroup) {
    read.problem(
      "AZURE_RESOURCE_GROUP (the default vault's resource group) is required when BACKUP_MODE=azure.",
    );
  }
}
