import type { AppConfig } from './config.js';

/** What the 'started' log line says of a running bot: where, against what, through which channels. */
export function startedFields(
  config: AppConfig,
  o: { url: string; dialect: string; alertTargets?: readonly string[]; sandboxUrl?: string },
): Record<string, unknown> {
  return {
    url: o.url,
    mode: config.azure.mode,
    vault: `${config.azure.vaultResourceGroup}/${config.azure.vaultName}`,
    webChat: config.webChat,
    teams: config.teams ? (config.teams.appId ? 'authenticated' : 'local-only, unauthenticated') : 'off',
    slack: config.slack ? config.slack.mode : 'off',
    alerts: o.alertTargets ? o.alertTargets.join(', ') : 'off',
    store: o.dialect === 'postgres' ? `postgres (replica ${config.replicaId})` : config.databasePath,
    ...(o.sandboxUrl ? { sandbox: o.sandboxUrl, clockSpeed: config.sandbox.clockSpeed } : {}),
  };
}

/** The banner a person starting the bot in a terminal sees. */
export function startBanner(config: AppConfig, bot: { url: string; sandbox?: { url: string } }): string {
  const sandbox =
    config.azure.mode === 'sandbox'
      ? ` (local Azure sandbox at ${config.sandbox.external?.url ?? bot.sandbox?.url}${bot.sandbox ? `, clock ×${config.sandbox.clockSpeed}` : ', shared'})`
      : '';
  return `\nbackup-chatops is running.\n  Web chat: ${config.webChat ? `${bot.url}/` : 'off'}\n  Mode:     ${config.azure.mode}${sandbox}\n  Try:      backup myVM now · status of jobs · list vms · help\n\n`;
}
