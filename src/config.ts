import { readApprovalTtlMs } from './approvals/approval-settings.js';
import type { AzureSettings } from './azure/azure-settings.js';
import { readAzureSettings } from './azure/azure-settings.js';
import { readSlackSettings } from './channels/slack/slack-settings.js';
import type { SlackSettings } from './channels/slack/slack-settings.js';
import { readTeamsSettings } from './channels/teams/teams-settings.js';
import type { TeamsSettings } from './channels/teams/teams-settings.js';
import { readWebChatSetting } from './channels/web/web-chat-settings.js';
import type { ChatSettings } from './chat/chat-settings.js';
import { readChatSettings } from './chat/chat-settings.js';
import type { Env } from './domain/env-reader.js';
import { EnvReader } from './domain/env-reader.js';
import { isLoopbackHost } from './domain/loopback.js';
import type { AlertSettings, AlertWebhookSettings } from './fleet/alert-settings.js';
import { readAlertSettings, readAlertWebhookSettings } from './fleet/alert-settings.js';
import type { HttpSettings } from './http/http-settings.js';
import { readHttpSettings } from './http/http-settings.js';
import type { CloudService } from './identity/cloud-hosts.js';
import { cloudHostProblem } from './identity/cloud-hosts.js';
import type { WatchSettings } from './jobs/watch-settings.js';
import { readWatchSettings } from './jobs/watch-settings.js';
import {
  SANDBOX_RESTORE_TARGETS,
  SANDBOX_SUBSCRIPTION_ID,
  SANDBOX_VAULT_NAME,
  SANDBOX_VAULT_RESOURCE_GROUP,
} from './sandbox/seed-ids.js';
import type { SandboxSettings } from './sandbox/sandbox-settings.js';
import { readSandboxSettings } from './sandbox/sandbox-settings.js';
import type { StoreSettings } from './store/store-settings.js';
import { readStoreSettings } from './store/store-settings.js';

export { storeLocation } from './store/store-settings.js';

/**
 * The one place that reads the environment (STYLE.md principle 10). Each module owns its settings
 * and their reader; `loadConfig(env)` composes them, checks the rules that span modules, and
 * returns a typed config or throws a ConfigError listing every problem at once.
 */
export interface AppConfig extends StoreSettings, WatchSettings {
  azure: AzureSettings;
  sandbox: SandboxSettings;
  chat: ChatSettings;
  http: HttpSettings;
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

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const azure = readAzureSettings(read, {
    subscriptionId: SANDBOX_SUBSCRIPTION_ID,
    vaultName: SANDBOX_VAULT_NAME,
    vaultResourceGroup: SANDBOX_VAULT_RESOURCE_GROUP,
    restore: SANDBOX_RESTORE_TARGETS,
  });
  const sandbox = azure.mode === 'sandbox';
  const sandboxSettings = readSandboxSettings(read, sandbox);
  const chat = readChatSettings(read);
  const { teams, localOnly: teamsLocalOnly } = readTeamsSettings(read);
  const slack = readSlackSettings(read);
  const webChat = webChatOn(read, sandbox, Boolean(teams || slack));
  const http = readHttpSettings(read);
  checkUnauthenticatedModes(read, { webChat, teamsLocalOnly, sandbox, host: http.host });
  const config: AppConfig = {
    azure,
    sandbox: sandboxSettings,
    chat,
    http,
    ...readStoreSettings(read),
    ...readWatchSettings(read, sandbox),
    approvalTtlMs: readApprovalTtlMs(read),
    webChat,
    ...(teams ? { teams } : {}),
    ...(slack ? { slack } : {}),
  };
  const alerts = readAlertSettings(read, {
    sandbox,
    vaultName: azure.vaultName,
    vaultResourceGroup: azure.vaultResourceGroup,
    webChat,
    slack: Boolean(slack),
    ...(teams ? { teams } : {}),
  });
  if (alerts) config.alerts = alerts;
  const alertWebhook = readAlertWebhookSettings(read, Boolean(alerts));
  if (alertWebhook) config.alertWebhook = alertWebhook;
  checkTokenHosts(read, config);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/** WEB_CHAT: `auto` turns it on beside the sandbox when no chat platform runs; never beside real Azure. */
function webChatOn(read: EnvReader, sandbox: boolean, platformConfigured: boolean): boolean {
  const setting = readWebChatSetting(read);
  if (setting === 'on' && !sandbox) {
    read.problem(
      'WEB_CHAT=on needs BACKUP_MODE=sandbox: the web chat has no sign-in yet, so it never runs beside real Azure.',
    );
  }
  return setting === 'on' || (setting === 'auto' && sandbox && !platformConfigured);
}

/** The unauthenticated modes: whoever reaches the port acts as anyone, an approver included. */
function checkUnauthenticatedModes(
  read: EnvReader,
  o: { webChat: boolean; teamsLocalOnly: boolean; sandbox: boolean; host: string },
): void {
  if (o.webChat && !isLoopbackHost(o.host)) {
    read.problem(
      `The web chat has no sign-in, so it listens only on a loopback address: set HTTP_HOST=127.0.0.1, or WEB_CHAT=off (got HTTP_HOST="${o.host}").`,
    );
  }
  if (o.teamsLocalOnly && !o.sandbox) {
    read.problem(
      'TEAMS_LOCAL_ONLY=true needs BACKUP_MODE=sandbox: without authentication anyone could act as an approver in real Azure. Set TEAMS_APP_ID instead.',
    );
  }
  if (o.teamsLocalOnly && !isLoopbackHost(o.host)) {
    read.problem(
      `TEAMS_LOCAL_ONLY=true needs a loopback HTTP_HOST (127.0.0.1): without authentication anyone who reaches the port could post activities (got HTTP_HOST="${o.host}").`,
    );
  }
}

/**
 * Settings that receive the bot's tokens, or decide which tokens it trusts: Microsoft's hosts
 * only, and local fakes only beside the sandbox.
 */
function checkTokenHosts(read: EnvReader, config: AppConfig): void {
  const tokenHosts: [string, string | undefined, CloudService][] = [
    ['GRAPH_URL', read.string('GRAPH_URL') && config.chat.graph.url, 'graph'],
    ['TEAMS_AUTHORITY', config.teams?.authority, 'entra'],
    ['TEAMS_OPENID_METADATA_URL', config.teams?.openIdMetadataUrl, 'botFramework'],
    ['ALERT_WEBHOOK_OPENID_METADATA_URL', config.alertWebhook?.openIdMetadataUrl, 'entra'],
  ];
  const sandbox = config.azure.mode === 'sandbox';
  for (const [name, url, service] of tokenHosts) {
    const problem = url === undefined ? undefined : cloudHostProblem(name, url, service, sandbox);
    if (problem) read.problem(problem);
  }
}
