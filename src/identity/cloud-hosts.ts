import { isLoopbackHost } from '../domain/loopback.js';

/**
 * The hosts that may receive the bot's tokens or decide which tokens it accepts: Microsoft's own,
 * in the public cloud and the sovereign ones (US Government L4/L5, China operated by 21Vianet).
 * A setting that points elsewhere would hand the bot's Graph token to that host, or let it sign
 * tokens the bot trusts.
 */
export const CLOUD_HOSTS = {
  /** Microsoft Graph (GRAPH_URL): it is sent the bot's Graph token. */
  graph: [
    'graph.microsoft.com',
    'graph.microsoft.us',
    'dod-graph.microsoft.us',
    'microsoftgraph.chinacloudapi.cn',
  ],
  /** Microsoft Entra ID (TEAMS_AUTHORITY, ALERT_WEBHOOK_OPENID_METADATA_URL): keys and tokens. */
  entra: [
    'login.microsoftonline.com',
    'login.microsoftonline.us',
    'login.chinacloudapi.cn',
    'login.partner.microsoftonline.cn',
  ],
  /** Bot Framework's token service (TEAMS_OPENID_METADATA_URL): the keys of Teams' tokens. */
  botFramework: ['login.botframework.com', 'login.botframework.azure.us'],
} as const;

export type CloudService = keyof typeof CLOUD_HOSTS;

/**
 * Why `url` may not carry the bot's tokens for `service`, or undefined when it may: https on one
 * of the service's hosts, or (`loopbackAllowed`: with the sandbox only) a local fake.
 */
export function cloudHostProblem(
  name: string,
  url: string,
  service: CloudService,
  loopbackAllowed: boolean,
): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined; // reported as "must be a URL" where it is read
  }
  if (loopbackAllowed && isLoopbackHost(u.hostname) && (u.protocol === 'http:' || u.protocol === 'https:'))
    return undefined;
  const hosts: readonly string[] = CLOUD_HOSTS[service];
  if (u.protocol === 'https:' && hosts.includes(u.hostname.toLowerCase()) && !u.username && !u.password)
    return undefined;
  return `${name} must be https:// on one of ${hosts.join(', ')}${loopbackAllowed ? ', or a loopback address with the sandbox' : ''}: it receives the bot's tokens or decides which it trusts (got "${url}").`;
}
