import { checkName } from '../domain/azure-names.js';
import type { EnvReader } from '../domain/env-reader.js';
import { GUID } from '../domain/env-reader.js';
import { ACTION_GROUP_ROLE } from '../identity/app-role.js';

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

/** What the alerts depend on elsewhere in the configuration. */
export interface AlertContext {
  sandbox: boolean;
  /** The default vault; an empty name when there is none. */
  vaultName: string;
  vaultResourceGroup: string;
  webChat: boolean;
  slack: boolean;
  /** The Teams channel when it runs. */
  teams?: { tenantId?: string };
}

/**
 * ALERT_CHANNEL (`slack:<channel id>`, `teams:<conversation id>`, `off`), ALERT_VAULTS and
 * ALERT_INTERVAL_MS. The web chat, when on, gets the alerts too, and channels that subscribe from
 * chat; with no chat platform at all, alerts are off.
 */
export function readAlertSettings(read: EnvReader, context: AlertContext): AlertSettings | undefined {
  const raw = read.string('ALERT_CHANNEL');
  const vaultList = read.list('ALERT_VAULTS');
  const intervalMs = read.int('ALERT_INTERVAL_MS', context.sandbox ? 2_000 : 300_000, 50, 86_400_000);
  if (raw === 'off') return undefined;
  const channel = raw === undefined ? undefined : readAlertChannel(read, raw, context);
  const vaults = readAlertVaults(read, vaultList, context);
  // A chat platform can take alert subscriptions from chat, so alerts are on whenever one runs.
  if (!channel && !context.webChat && !context.slack && !context.teams) {
    if (vaultList.length > 0)
      read.problem('ALERT_VAULTS is set but alerts have nowhere to go: set ALERT_CHANNEL.');
    return undefined;
  }
  if (vaults.length === 0 && context.vaultName) {
    vaults.push({ vault: context.vaultName, resourceGroup: context.vaultResourceGroup });
  }
  return { ...(channel ? { channel } : {}), vaults, intervalMs };
}

/** ALERT_CHANNEL's value, and (Teams) ALERT_TEAMS_SERVICE_URL. */
function readAlertChannel(read: EnvReader, raw: string, context: AlertContext): AlertChannel | undefined {
  const m = /^(slack|teams):(.+)$/.exec(raw);
  if (!m) {
    read.problem(`ALERT_CHANNEL must be slack:<channel id>, teams:<conversation id> or off (got "${raw}").`);
    return undefined;
  }
  if (m[1] === 'slack') {
    const channelId = m[2]!.trim();
    if (!/^[CGD][A-Z0-9]{2,}$/.test(channelId))
      read.problem(`ALERT_CHANNEL: "${channelId}" is not a Slack channel id (C…, G… or D…).`);
    if (!context.slack) read.problem('ALERT_CHANNEL=slack:… needs the Slack channel (SLACK_BOT_TOKEN).');
    return { platform: 'slack', channelId };
  }
  if (!context.teams)
    read.problem('ALERT_CHANNEL=teams:… needs the Teams channel (TEAMS_APP_ID, or TEAMS_LOCAL_ONLY=true).');
  // Teams' global Bot Connector; a bot serving one region may set its regional URL instead.
  const serviceUrl = read.url('ALERT_TEAMS_SERVICE_URL', true) ?? 'https://smba.trafficmanager.net/teams';
  return { platform: 'teams', conversationId: m[2]!.trim(), serviceUrl, tenantId: context.teams?.tenantId };
}

/** ALERT_VAULTS: `<vault>` (in the default vault's resource group) or `<resource group>/<vault>`. */
function readAlertVaults(read: EnvReader, entries: string[], context: AlertContext): AlertSettings['vaults'] {
  const vaults: AlertSettings['vaults'] = [];
  for (const entry of entries) {
    const [rg, name] = entry.includes('/') ? entry.split('/', 2) : [context.vaultResourceGroup, entry];
    const problem = checkName('vault', name ?? '') ?? (rg ? checkName('resourceGroup', rg) : undefined);
    if (problem || !rg || entry.split('/').length > 2) {
      read.problem(
        `ALERT_VAULTS: "${entry}" must be <vault> or <resource group>/<vault>${problem ? `: ${problem}` : '.'}`,
      );
    } else vaults.push({ vault: name!, resourceGroup: rg });
  }
  return vaults;
}

/**
 * ALERT_WEBHOOK_AUDIENCE, ALERT_WEBHOOK_TENANT_ID, ALERT_WEBHOOK_ROLE and (tests only)
 * ALERT_WEBHOOK_OPENID_METADATA_URL; the webhook needs alerts to post to (`alertsOn`).
 */
export function readAlertWebhookSettings(
  read: EnvReader,
  alertsOn: boolean,
): AlertWebhookSettings | undefined {
  const audiences = read.list('ALERT_WEBHOOK_AUDIENCE');
  const tenantId = read.string('ALERT_WEBHOOK_TENANT_ID');
  const openIdMetadataUrl = read.url('ALERT_WEBHOOK_OPENID_METADATA_URL', true);
  // The app role Microsoft's secure webhook setup assigns to the Action Groups service principal.
  const role = read.string('ALERT_WEBHOOK_ROLE') ?? ACTION_GROUP_ROLE;
  if (audiences.length === 0) {
    if (tenantId || openIdMetadataUrl)
      read.problem(
        'ALERT_WEBHOOK_AUDIENCE (the app registration Azure Monitor gets tokens for) is required for the alert webhook.',
      );
    return undefined;
  }
  if (!tenantId)
    read.problem(
      'ALERT_WEBHOOK_TENANT_ID (the tenant issuing the webhook tokens) is required with ALERT_WEBHOOK_AUDIENCE.',
    );
  else if (!GUID.test(tenantId)) read.problem(`ALERT_WEBHOOK_TENANT_ID must be a GUID (got "${tenantId}").`);
  if (!alertsOn)
    read.problem('ALERT_WEBHOOK_AUDIENCE is set but alerts have nowhere to go: set ALERT_CHANNEL.');
  if (!/^[\w.:-]{1,120}$/.test(role))
    read.problem(`ALERT_WEBHOOK_ROLE must be an app role's value (letters, digits, . _ : -), got "${role}".`);
  return { audiences, tenantId: tenantId ?? '', role, ...(openIdMetadataUrl ? { openIdMetadataUrl } : {}) };
}
