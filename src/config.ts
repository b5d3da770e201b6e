import { randomBytes } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RestoreSettings } from './azure/restore-operations.js';
import type { Role } from './chat/roles.js';
import { ROLES } from './chat/roles.js';
import {
  SANDBOX_RESTORE_TARGETS,
  SANDBOX_SUBSCRIPTION_ID,
  SANDBOX_VAULT_NAME,
  SANDBOX_VAULT_RESOURCE_GROUP,
} from './sandbox/seed-ids.js';
import { checkName } from './domain/azure-names.js';
import { DEFAULT_MAX_CONNECTIONS } from './http/http-server.js';
import { isLoopbackHost } from './http/loopback.js';
import { ACTION_GROUP_ROLE } from './identity/app-role.js';
import type { CloudService } from './identity/cloud-hosts.js';
import { cloudHostProblem } from './identity/cloud-hosts.js';

/**
 * The one place that reads the environment (STYLE.md principle 10). `loadConfig(env)` returns a
 * typed config or throws a ConfigError listing every problem at once.
 */
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

export interface SandboxFaultSettings {
  throttleRate: number;
  serverErrorRate: number;
  latencyMs: number;
  retryAfterMs: number;
}

export interface SandboxSettings {
  /** 0 picks a free port. */
  port: number;
  /** Simulated seconds per real second; 0 stops the clock (tests step it by hand). */
  clockSpeed: number;
  snapshotMinutes: number;
  transferMinutes: number;
  /**
   * Multiplies the recorded durations of long-running operations (enable ~92 s). Default 1, or 0
   * with a stopped clock (tests that step time by hand), where they could otherwise never finish.
   */
  operationTimeScale: number;
  faults: SandboxFaultSettings;
  /** Seed of the fault-injection random numbers, so a run can be repeated. */
  seed: number;
  /** Where `npm run sandbox` writes its certificate and a bot given SANDBOX_URL reads it. */
  certificateFile: string;
  /** The Recovery Services request budget the sandbox enforces (token bucket), or off. */
  requestBudget: { capacity: number; refillPerSecond: number } | false;
  /**
   * A sandbox already running elsewhere (`npm run sandbox`), shared by several bots, instead of one
   * embedded in this process; with the file of the certificate it serves.
   */
  external?: { url: string; caFile: string };
}

export interface ChatSettings {
  /** Role assignments by immutable user id (web:alice, Teams AAD object id, Slack T…:U…). */
  roleAssignments: { userId: string; roles: Role[] }[];
  /** Roles of users not listed. */
  defaultRoles: Role[];
  /** Role assignments to Entra ID groups (`group:<objectId>` in ROLE_*), resolved with Microsoft Graph. */
  groupAssignments: { groupId: string; roles: Role[] }[];
  /** Microsoft Graph (GRAPH_URL, a local fake in tests) and how long a user's groups are reused. */
  graph: { url: string; cacheTtlMs: number };
  /**
   * Ids that are one person across platforms (IDENTITY_LINKS): nobody approves their own request
   * from another platform or alias.
   */
  personLinks: string[][];
}

export interface TeamsSettings {
  /** Which SDK runs the channel: the Microsoft 365 Agents SDK, or the archived botbuilder. */
  sdk: 'agents' | 'botbuilder';
  /** Microsoft App ID of the Azure Bot; without it the channel runs unauthenticated (local only). */
  appId?: string;
  appPassword?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
  /** Where the Bot Framework's signing keys of incoming tokens are read; its own by default (tests: a local fake). */
  openIdMetadataUrl?: string;
  /** The Entra authority: keys of tokens the bot's own registration got, and (Agents SDK) outbound tokens. */
  authority?: string;
  /** Agents SDK: outbound tokens from a Microsoft Entra SDK sidecar at this local URL instead of the secret. */
  tokenSidecarUrl?: string;
}

export interface SlackSettings {
  botToken: string;
  /** HTTP mode: requests are signed with it. */
  signingSecret?: string;
  /** Socket Mode: the app-level token (xapp-…). */
  appToken?: string;
  mode: 'http' | 'socket';
  /** The slash command, as declared in the app manifest. */
  command: string;
  /** Slack Web API base URL (tests point it at a local fake). */
  apiUrl?: string;
  /**
   * chat.update calls a replica makes per minute: Slack's Tier 3 allows about 50 per workspace
   * (more in bursts). With several replicas, divide the workspace's budget between them.
   */
  updatesPerMinute: number;
}

/** Where alerts about failed scheduled backups go, besides the web chat when it is on. */
export type AlertChannel =
  | { platform: 'slack'; channelId: string }
  | { platform: 'teams'; conversationId: string; serviceUrl: string; tenantId?: string };

export interface AlertSettings {
  /** Undefined: the web chat only. */
  channel?: AlertChannel;
  /** Vaults whose scheduled jobs are watched (default: the default vault). */
  vaults: { vault: string; resourceGroup: string }[];
  /** Pause between two alert rounds. */
  intervalMs: number;
}

/**
 * Azure Monitor alerts pushed in by an Action Group's secure webhook: Entra ID tokens for the
 * bot's app registration, checked against the tenant's signing keys.
 */
export interface AlertWebhookSettings {
  /** Accepted token audiences: the app's Application ID URI (api://…) and/or its client id. */
  audiences: string[];
  tenantId: string;
  /** Where the tenant's signing keys are read (Entra's by default; tests: a local fake). */
  openIdMetadataUrl?: string;
  /** The app role every token must carry (ALERT_WEBHOOK_ROLE, default ActionGroupsSecureWebhook). */
  role: string;
}

export interface HttpSettings {
  host: string;
  port: number;
  /** Open connections at most; past it idle and slow ones make room (HTTP_MAX_CONNECTIONS). */
  maxConnections: number;
}

export interface AppConfig {
  azure: AzureSettings;
  sandbox: SandboxSettings;
  chat: ChatSettings;
  http: HttpSettings;
  /** SQLite file of the bot's state (watched jobs, approvals, audit, web chat history). */
  databasePath: string;
  /** PostgreSQL instead of SQLite, for several replicas (a secret: it may hold a password). */
  databaseUrl?: string;
  /** This replica's name among those sharing a PostgreSQL database (leases of vaults to poll). */
  replicaId: string;
  /** How long a replica's lease of a vault lasts unrenewed: the takeover delay when one dies. */
  watchLeaseMs: number;
  /** Pause between two JobWatcher rounds. */
  watchIntervalMs: number;
  /** How long a destructive request can be approved. */
  approvalTtlMs: number;
  /** The local web chat: on by default with the sandbox only, and only when no chat platform is configured. */
  webChat: boolean;
  /** Microsoft Teams on /api/messages; undefined when not configured. */
  teams?: TeamsSettings;
  /** Slack on /slack/events (HTTP mode) or Socket Mode; undefined when not configured. */
  slack?: SlackSettings;
  /** Alerts for failed scheduled backups; undefined when off or with nowhere to post. */
  alerts?: AlertSettings;
  /** The Azure Monitor alert webhook (/api/azure-monitor/alerts); undefined: not served. */
  alertWebhook?: AlertWebhookSettings;
}

/** Where the bot's state lives: the PostgreSQL URL when given, else the SQLite file. */
export function storeLocation(config: Pick<AppConfig, 'databaseUrl' | 'databasePath'>): string {
  return config.databaseUrl ?? config.databasePath;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/**
 * AZURE_SUBSCRIPTION_IDS: `<subscription id>[:<resource group>/<vault>]`, comma-separated, the
 * first being the default subscription (its vault may come from AZURE_VAULT_NAME and
 * AZURE_RESOURCE_GROUP instead). Undefined when the variable is not set.
 */
function parseSubscriptionList(
  value: string | undefined,
  problems: string[],
): { id: string; vault?: { name: string; resourceGroup: string } }[] | undefined {
  if (value === undefined) return undefined;
  const out: { id: string; vault?: { name: string; resourceGroup: string } }[] = [];
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^:\s]+)(?::([^/\s]+)\/([^/\s]+))?$/.exec(part);
    if (!m || !GUID.test(m[1]!)) {
      problems.push(
        `AZURE_SUBSCRIPTION_IDS: "${part}" is not <subscription id>:<resource group>/<vault> (the id a GUID).`,
      );
      continue;
    }
    if (out.some((s) => s.id.toLowerCase() === m[1]!.toLowerCase())) {
      problems.push(`AZURE_SUBSCRIPTION_IDS names subscription ${m[1]} twice.`);
      continue;
    }
    out.push({ id: m[1]!, ...(m[2] ? { vault: { resourceGroup: m[2], name: m[3]! } } : {}) });
  }
  if (out.length === 0 && problems.every((p) => !p.startsWith('AZURE_SUBSCRIPTION_IDS'))) {
    problems.push('AZURE_SUBSCRIPTION_IDS is set but names no subscription.');
  }
  return out;
}

/** Where `npm run sandbox` writes its certificate, and where a bot given SANDBOX_URL looks for it. */
export const SANDBOX_CERTIFICATE_FILE = join(tmpdir(), 'backup-chatops-sandbox.pem');

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const listed = parseSubscriptionList(read.string('AZURE_SUBSCRIPTION_IDS'), problems);
  if (listed && read.string('AZURE_SUBSCRIPTION_ID')) {
    problems.push('Set AZURE_SUBSCRIPTION_IDS or AZURE_SUBSCRIPTION_ID, not both.');
  }
  const subscriptionId = listed?.[0]?.id ?? read.string('AZURE_SUBSCRIPTION_ID');
  const mode = read.oneOf('BACKUP_MODE', ['sandbox', 'azure'] as const, subscriptionId ? 'azure' : 'sandbox');
  const sandbox = mode === 'sandbox';
  const firstVault = listed?.[0]?.vault;

  const azure: AzureSettings = {
    mode,
    subscriptionId: subscriptionId ?? SANDBOX_SUBSCRIPTION_ID,
    vaultName: firstVault?.name ?? read.string('AZURE_VAULT_NAME') ?? (sandbox ? SANDBOX_VAULT_NAME : ''),
    vaultResourceGroup:
      firstVault?.resourceGroup ??
      read.string('AZURE_RESOURCE_GROUP') ??
      (sandbox ? SANDBOX_VAULT_RESOURCE_GROUP : ''),
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
    restore: {
      // The sandbox has one of each in each of its subscriptions (and regions).
      stagingStorageAccounts: read.list('RESTORE_STAGING_STORAGE_ACCOUNT').length
        ? read.list('RESTORE_STAGING_STORAGE_ACCOUNT')
        : sandbox
          ? [...SANDBOX_RESTORE_TARGETS.stagingStorageAccounts]
          : [],
      subnets: read.list('RESTORE_SUBNET').length
        ? read.list('RESTORE_SUBNET')
        : sandbox
          ? [...SANDBOX_RESTORE_TARGETS.subnets]
          : [],
    },
  };
  for (const staging of azure.restore.stagingStorageAccounts) {
    if (
      !/^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+|[^/\s]+\/[^/\s]+)$/i.test(
        staging,
      )
    ) {
      problems.push(
        `RESTORE_STAGING_STORAGE_ACCOUNT must list <resource group>/<account> or storage account ids (got "${staging}").`,
      );
    }
  }
  for (const subnet of azure.restore.subnets) {
    if (
      !/^(\/subscriptions\/.+\/virtualNetworks\/[^/]+\/subnets\/[^/]+|[^/\s]+\/[^/\s]+\/[^/\s]+)$/i.test(
        subnet,
      )
    ) {
      problems.push(
        `RESTORE_SUBNET must list <resource group>/<vnet>/<subnet> or subnet ids (got "${subnet}").`,
      );
    }
  }
  azure.subscriptions = [
    { id: azure.subscriptionId, vaultName: azure.vaultName, vaultResourceGroup: azure.vaultResourceGroup },
    ...(listed ?? []).slice(1).map((s) => ({
      id: s.id,
      vaultName: s.vault?.name ?? '',
      vaultResourceGroup: s.vault?.resourceGroup ?? '',
    })),
  ];
  for (const s of listed?.slice(1) ?? []) {
    if (!s.vault)
      problems.push(
        `AZURE_SUBSCRIPTION_IDS: give subscription ${s.id} its default vault (${s.id}:<resource group>/<vault>).`,
      );
  }
  if (mode === 'azure') {
    if (!subscriptionId) problems.push('AZURE_SUBSCRIPTION_ID is required when BACKUP_MODE=azure.');
    // Listed ids were checked by parseSubscriptionList.
    else if (!listed && !GUID.test(subscriptionId)) {
      problems.push(`AZURE_SUBSCRIPTION_ID must be a GUID (got "${subscriptionId}").`);
    }
    if (!azure.vaultName)
      problems.push('AZURE_VAULT_NAME (the default vault) is required when BACKUP_MODE=azure.');
    if (!azure.vaultResourceGroup) {
      problems.push(
        "AZURE_RESOURCE_GROUP (the default vault's resource group) is required when BACKUP_MODE=azure.",
      );
    }
  }

  const clockSpeed = read.number('SANDBOX_CLOCK_SPEED', 60, 0, 100_000);
  const sandboxSettings: SandboxSettings = {
    port: read.int('SANDBOX_PORT', 0, 0, 65_535),
    clockSpeed,
    operationTimeScale: read.number('SANDBOX_OPERATION_TIME_SCALE', clockSpeed === 0 ? 0 : 1, 0, 1_000),
    snapshotMinutes: read.number('SANDBOX_SNAPSHOT_MINUTES', 8, 0.01, 10_000),
    transferMinutes: read.number('SANDBOX_TRANSFER_MINUTES', 33, 0.01, 100_000),
    faults: {
      throttleRate: read.number('SANDBOX_THROTTLE_RATE', 0, 0, 1),
      serverErrorRate: read.number('SANDBOX_SERVER_ERROR_RATE', 0, 0, 1),
      latencyMs: read.int('SANDBOX_LATENCY_MS', 0, 0, 60_000),
      retryAfterMs: read.int('SANDBOX_RETRY_AFTER_MS', 1_000, 0, 600_000),
    },
    seed: read.int('SANDBOX_SEED', 1, 0, 2 ** 31 - 1),
    certificateFile: read.string('SANDBOX_CA_FILE') ?? SANDBOX_CERTIFICATE_FILE,
    requestBudget: readRequestBudget(read.string('SANDBOX_REQUEST_BUDGET'), problems),
  };
  const sharedSandbox = read.url('SANDBOX_URL');
  if (sharedSandbox && sandbox) {
    sandboxSettings.external = {
      url: sharedSandbox.replace(/\/+$/, ''),
      caFile: sandboxSettings.certificateFile,
    };
  }

  const roleEntries = (['reader', 'operator', 'approver'] as const).flatMap((role) =>
    read.list(`ROLE_${role.toUpperCase()}S`).map((id) => ({ id, role, name: `ROLE_${role.toUpperCase()}S` })),
  );
  const roleAssignments = roleEntries
    .filter((e) => !/^group:/i.test(e.id))
    .map((e) => ({ userId: e.id, roles: [e.role] as Role[] }));
  const groupAssignments = roleEntries.flatMap((e) => {
    const m = /^group:(.*)$/i.exec(e.id);
    if (!m) return [];
    const groupId = m[1]!.trim().toLowerCase();
    if (!/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(groupId)) {
      problems.push(`${e.name}: "${e.id}" must be group:<Entra ID group object id (a GUID)>.`);
      return [];
    }
    return [{ groupId, roles: [e.role] as Role[] }];
  });
  const graph = {
    url: read.url('GRAPH_URL', true) ?? 'https://graph.microsoft.com',
    cacheTtlMs: read.int('ROLE_GROUP_CACHE_SECONDS', 300, 0, 86_400) * 1000,
  };
  const personLinks = readPersonLinks(read.list('IDENTITY_LINKS'), problems);
  const defaultRole = read.oneOf('ROLE_DEFAULT', [...ROLES, 'none'] as const, 'reader');
  const teamsAppId = read.string('TEAMS_APP_ID');
  const teamsLocalOnly = read.oneOf('TEAMS_LOCAL_ONLY', ['true', 'false'] as const, 'false') === 'true';
  let teams: TeamsSettings | undefined;
  if (teamsAppId || teamsLocalOnly) {
    teams = {
      sdk: read.oneOf('TEAMS_SDK', ['agents', 'botbuilder'] as const, 'agents'),
      appId: teamsAppId,
      appPassword: read.string('TEAMS_APP_PASSWORD'),
      // New multi-tenant bot registrations are no longer possible: single tenant is the default.
      appType: read.oneOf(
        'TEAMS_APP_TYPE',
        ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const,
        'SingleTenant',
      ),
      tenantId: read.string('TEAMS_APP_TENANT_ID'),
      openIdMetadataUrl: read.url('TEAMS_OPENID_METADATA_URL', true),
      authority: read.url('TEAMS_AUTHORITY', true),
      tokenSidecarUrl: read.url('TEAMS_TOKEN_SIDECAR_URL', true),
    };
    if (teamsAppId && teamsLocalOnly)
      problems.push(
        'TEAMS_LOCAL_ONLY=true cannot be combined with TEAMS_APP_ID: tokens are always checked when an app id is set.',
      );
    if (teamsAppId && teams.appType !== 'UserAssignedMSI' && !teams.tokenSidecarUrl && !teams.appPassword) {
      problems.push(
        'TEAMS_APP_PASSWORD is required with TEAMS_APP_ID (unless TEAMS_APP_TYPE=UserAssignedMSI or TEAMS_TOKEN_SIDECAR_URL is set).',
      );
    }
    // Local-only mode has no app registration, so no tenant either.
    if (teamsAppId && teams.appType !== 'MultiTenant' && !teams.tenantId)
      problems.push(`TEAMS_APP_TENANT_ID is required with TEAMS_APP_TYPE=${teams.appType} (the default).`);
    if (teams.sdk === 'botbuilder' && teams.tokenSidecarUrl)
      problems.push('TEAMS_TOKEN_SIDECAR_URL applies to TEAMS_SDK=agents only.');
  }
  const slackToken = read.string('SLACK_BOT_TOKEN');
  let slack: SlackSettings | undefined;
  if (slackToken) {
    const appToken = read.string('SLACK_APP_TOKEN');
    slack = {
      botToken: slackToken,
      signingSecret: read.string('SLACK_SIGNING_SECRET'),
      appToken,
      mode: read.oneOf('SLACK_MODE', ['http', 'socket'] as const, appToken ? 'socket' : 'http'),
      command: read.string('SLACK_COMMAND') ?? '/backup',
      apiUrl: read.url('SLACK_API_URL', true),
      updatesPerMinute: read.int('SLACK_UPDATES_PER_MINUTE', 50, 1, 100_000),
    };
    if (slack.mode === 'http' && !slack.signingSecret)
      problems.push('SLACK_SIGNING_SECRET is required for Slack in HTTP mode.');
    if (slack.mode === 'socket' && !appToken)
      problems.push('SLACK_APP_TOKEN (xapp-…) is required for Slack in Socket Mode.');
    if (!slack.command.startsWith('/'))
      problems.push(`SLACK_COMMAND must start with "/" (got "${slack.command}").`);
  } else if (read.string('SLACK_SIGNING_SECRET') || read.string('SLACK_APP_TOKEN')) {
    problems.push('SLACK_BOT_TOKEN (xoxb-…) is required to run the Slack channel.');
  }
  const webChat = read.oneOf('WEB_CHAT', ['auto', 'on', 'off'] as const, 'auto');
  if (webChat === 'on' && !sandbox) {
    problems.push(
      'WEB_CHAT=on needs BACKUP_MODE=sandbox: the web chat has no sign-in yet, so it never runs beside real Azure.',
    );
  }
  const webChatOn = webChat === 'on' || (webChat === 'auto' && sandbox && !teams && !slack);
  const http = {
    host: read.string('HTTP_HOST') ?? '127.0.0.1',
    port: read.int('PORT', 3978, 0, 65_535),
    maxConnections: read.int('HTTP_MAX_CONNECTIONS', DEFAULT_MAX_CONNECTIONS, 16, 1_000_000),
  };
  // The unauthenticated modes: whoever reaches the port acts as anyone, an approver included.
  if (webChatOn && !isLoopbackHost(http.host)) {
    problems.push(
      `The web chat has no sign-in, so it listens only on a loopback address: set HTTP_HOST=127.0.0.1, or WEB_CHAT=off (got HTTP_HOST="${http.host}").`,
    );
  }
  if (teamsLocalOnly && !sandbox) {
    problems.push(
      'TEAMS_LOCAL_ONLY=true needs BACKUP_MODE=sandbox: without authentication anyone could act as an approver in real Azure. Set TEAMS_APP_ID instead.',
    );
  }
  if (teamsLocalOnly && !isLoopbackHost(http.host)) {
    problems.push(
      `TEAMS_LOCAL_ONLY=true needs a loopback HTTP_HOST (127.0.0.1): without authentication anyone who reaches the port could post activities (got HTTP_HOST="${http.host}").`,
    );
  }

  const databaseUrl = read.string('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\/[^\s]+$/i.test(databaseUrl)) {
    // The value may carry a password: never repeat it.
    problems.push('DATABASE_URL must be a PostgreSQL connection string (postgres://user:password@host/db).');
  }
  const watchIntervalMs = read.int('WATCH_INTERVAL_MS', sandbox ? 1_000 : 15_000, 50, 600_000);

  const config: AppConfig = {
    azure,
    sandbox: sandboxSettings,
    chat: {
      roleAssignments,
      defaultRoles: defaultRole === 'none' ? [] : [defaultRole],
      groupAssignments,
      graph,
      personLinks,
    },
    http,
    databasePath: read.string('DATABASE_PATH') ?? 'data/backup-chatops.db',
    ...(databaseUrl ? { databaseUrl } : {}),
    replicaId: read.string('REPLICA_ID') ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    watchIntervalMs,
    watchLeaseMs: read.int('WATCH_LEASE_MS', Math.max(30_000, 3 * watchIntervalMs), 1_000, 3_600_000),
    approvalTtlMs: read.int('APPROVAL_TTL_MINUTES', 60, 1, 7 * 24 * 60) * 60_000,
    webChat: webChatOn,
    ...(teams ? { teams } : {}),
    ...(slack ? { slack } : {}),
  };
  const alerts = readAlertSettings(read, problems, config);
  if (alerts) config.alerts = alerts;
  const alertWebhook = readAlertWebhook(read, problems, config);
  if (alertWebhook) config.alertWebhook = alertWebhook;
  // Settings that receive the bot's tokens, or decide which tokens it trusts: Microsoft's hosts
  // only, and local fakes only beside the sandbox.
  const tokenHosts: [string, string | undefined, CloudService][] = [
    ['GRAPH_URL', read.string('GRAPH_URL') && graph.url, 'graph'],
    ['TEAMS_AUTHORITY', teams?.authority, 'entra'],
    ['TEAMS_OPENID_METADATA_URL', teams?.openIdMetadataUrl, 'botFramework'],
    ['ALERT_WEBHOOK_OPENID_METADATA_URL', alertWebhook?.openIdMetadataUrl, 'entra'],
  ];
  for (const [name, url, service] of tokenHosts) {
    const problem = url === undefined ? undefined : cloudHostProblem(name, url, service, sandbox);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * ALERT_CHANNEL (`slack:<channel id>`, `teams:<conversation id>`, `off`), ALERT_VAULTS and
 * ALERT_INTERVAL_MS. The web chat, when on, gets the alerts too, and channels that subscribe from
 * chat; with no chat platform at all, alerts are off.
 */
function readAlertSettings(
  read: EnvReader,
  problems: string[],
  config: AppConfig,
): AlertSettings | undefined {
  const raw = read.string('ALERT_CHANNEL');
  const vaultList = read.list('ALERT_VAULTS');
  const intervalMs = read.int(
    'ALERT_INTERVAL_MS',
    config.azure.mode === 'sandbox' ? 2_000 : 300_000,
    50,
    86_400_000,
  );
  if (raw === 'off') return undefined;
  let channel: AlertChannel | undefined;
  const m = raw === undefined ? undefined : /^(slack|teams):(.+)$/.exec(raw);
  if (raw !== undefined && !m) {
    problems.push(`ALERT_CHANNEL must be slack:<channel id>, teams:<conversation id> or off (got "${raw}").`);
  } else if (m?.[1] === 'slack') {
    const channelId = m[2]!.trim();
    if (!/^[CGD][A-Z0-9]{2,}$/.test(channelId))
      problems.push(`ALERT_CHANNEL: "${channelId}" is not a Slack channel id (C…, G… or D…).`);
    if (!config.slack) problems.push('ALERT_CHANNEL=slack:… needs the Slack channel (SLACK_BOT_TOKEN).');
    channel = { platform: 'slack', channelId };
  } else if (m?.[1] === 'teams') {
    if (!config.teams)
      problems.push(
        'ALERT_CHANNEL=teams:… needs the Teams channel (TEAMS_APP_ID, or TEAMS_LOCAL_ONLY=true).',
      );
    // Teams' global Bot Connector; a bot serving one region may set its regional URL instead.
    const serviceUrl = read.url('ALERT_TEAMS_SERVICE_URL', true) ?? 'https://smba.trafficmanager.net/teams';
    channel = {
      platform: 'teams',
      conversationId: m[2]!.trim(),
      serviceUrl,
      tenantId: config.teams?.tenantId,
    };
  }
  const vaults: AlertSettings['vaults'] = [];
  for (const entry of vaultList) {
    const [rg, name] = entry.includes('/') ? entry.split('/', 2) : [config.azure.vaultResourceGroup, entry];
    const problem = checkName('vault', name ?? '') ?? (rg ? checkName('resourceGroup', rg) : undefined);
    if (problem || !rg || entry.split('/').length > 2) {
      problems.push(
        `ALERT_VAULTS: "${entry}" must be <vault> or <resource group>/<vault>${problem ? `: ${problem}` : '.'}`,
      );
    } else vaults.push({ vault: name!, resourceGroup: rg });
  }
  // A chat platform can take alert subscriptions from chat, so alerts are on whenever one runs.
  if (!channel && !config.webChat && !config.slack && !config.teams) {
    if (vaultList.length > 0)
      problems.push('ALERT_VAULTS is set but alerts have nowhere to go: set ALERT_CHANNEL.');
    return undefined;
  }
  if (vaults.length === 0 && config.azure.vaultName) {
    vaults.push({ vault: config.azure.vaultName, resourceGroup: config.azure.vaultResourceGroup });
  }
  return { ...(channel ? { channel } : {}), vaults, intervalMs };
}

/**
 * ALERT_WEBHOOK_AUDIENCE, ALERT_WEBHOOK_TENANT_ID, ALERT_WEBHOOK_ROLE and (tests only)
 * ALERT_WEBHOOK_OPENID_METADATA_URL.
 */
function readAlertWebhook(
  read: EnvReader,
  problems: string[],
  config: AppConfig,
): AlertWebhookSettings | undefined {
  const audiences = read.list('ALERT_WEBHOOK_AUDIENCE');
  const tenantId = read.string('ALERT_WEBHOOK_TENANT_ID');
  const openIdMetadataUrl = read.url('ALERT_WEBHOOK_OPENID_METADATA_URL', true);
  // The app role Microsoft's secure webhook setup assigns to the Action Groups service principal.
  const role = read.string('ALERT_WEBHOOK_ROLE') ?? ACTION_GROUP_ROLE;
  if (audiences.length === 0) {
    if (tenantId || openIdMetadataUrl)
      problems.push(
        'ALERT_WEBHOOK_AUDIENCE (the app registration Azure Monitor gets tokens for) is required for the alert webhook.',
      );
    return undefined;
  }
  if (!tenantId)
    problems.push(
      'ALERT_WEBHOOK_TENANT_ID (the tenant issuing the webhook tokens) is required with ALERT_WEBHOOK_AUDIENCE.',
    );
  else if (!/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(tenantId))
    problems.push(`ALERT_WEBHOOK_TENANT_ID must be a GUID (got "${tenantId}").`);
  if (!config.alerts)
    problems.push('ALERT_WEBHOOK_AUDIENCE is set but alerts have nowhere to go: set ALERT_CHANNEL.');
  if (!/^[\w.:-]{1,120}$/.test(role))
    problems.push(
      `ALERT_WEBHOOK_ROLE must be an app role's value (letters, digits, . _ : -), got "${role}".`,
    );
  return { audiences, tenantId: tenantId ?? '', role, ...(openIdMetadataUrl ? { openIdMetadataUrl } : {}) };
}

/** A chat id as the role lists name people: web chat, Slack (organisation or workspace), Teams. */
const CHAT_ID =
  /^(web:[\w.-]+|[TE][A-Z0-9]+:[UW][A-Z0-9]+|teams:\S+|[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12})$/i;

/**
 * IDENTITY_LINKS: comma-separated people, each their ids joined by `=`
 * (`web:bob=T0FAKE:UBOB=E0GRID:UBOB=<Entra object id>`).
 */
function readPersonLinks(entries: string[], problems: string[]): string[][] {
  return entries.flatMap((entry) => {
    const ids = entry.split('=').map((id) => id.trim());
    const bad = ids.filter((id) => !CHAT_ID.test(id));
    if (ids.length < 2 || bad.length > 0) {
      problems.push(
        `IDENTITY_LINKS: "${entry}" must be two or more chat ids joined by "=" (web:<name>, Slack T…:U… or E…:U…, an Entra object id)${bad.length ? `; not a chat id: ${bad.map((b) => `"${b}"`).join(', ')}` : ''}.`,
      );
      return [];
    }
    return [ids];
  });
}

/** SANDBOX_REQUEST_BUDGET: `<capacity>/<refill per second>` (default 300/10, as Azure's), or `off`. */
function readRequestBudget(raw: string | undefined, problems: string[]): SandboxSettings['requestBudget'] {
  if (raw === 'off') return false;
  const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(raw ?? '300/10');
  const capacity = Number(m?.[1]);
  const refillPerSecond = Number(m?.[2]);
  if (!m || capacity < 1 || capacity > 1_000_000 || refillPerSecond > 100_000) {
    problems.push(`SANDBOX_REQUEST_BUDGET must be <capacity>/<refill per second> (like 300/10) or off.`);
    return false;
  }
  return { capacity, refillPerSecond };
}

/** Reads typed values, collecting every problem instead of stopping at the first. */
class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  string(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  /** A comma-separated list; empty entries dropped. */
  list(name: string): string[] {
    return (this.string(name) ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${v}").`);
    return fallback;
  }

  /** An https URL; `allowLoopbackHttp` also accepts http://127.0.0.1 or localhost (local fakes). */
  url(name: string, allowLoopbackHttp = false): string | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      const loopback = allowLoopbackHttp && u.protocol === 'http:' && isLoopbackHost(u.hostname);
      if (u.protocol !== 'https:' && !loopback)
        this.problems.push(`${name} must be an https:// URL (got "${v}").`);
      return v.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be a URL (got "${v}").`);
      return undefined;
    }
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const n = this.number(name, fallback, min, max);
    if (!Number.isInteger(n)) {
      this.problems.push(`${name} must be a whole number (got "${this.env[name]}").`);
      return fallback;
    }
    return n;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const v = this.string(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max} (got "${v}").`);
      return fallback;
    }
    return n;
  }
}
