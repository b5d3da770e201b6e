import type { EnvReader } from '../../domain/env-reader.js';

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

/**
 * TEAMS_*: the channel runs with TEAMS_APP_ID, or unauthenticated with TEAMS_LOCAL_ONLY=true
 * (`localOnly`, which the composition allows beside the sandbox on a loopback host only).
 */
export function readTeamsSettings(read: EnvReader): { teams?: TeamsSettings; localOnly: boolean } {
  const appId = read.string('TEAMS_APP_ID');
  const localOnly = read.oneOf('TEAMS_LOCAL_ONLY', ['true', 'false'] as const, 'false') === 'true';
  if (!appId && !localOnly) return { localOnly };
  const teams: TeamsSettings = {
    sdk: read.oneOf('TEAMS_SDK', ['agents', 'botbuilder'] as const, 'agents'),
    appId,
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
  if (appId && localOnly)
    read.problem(
      'TEAMS_LOCAL_ONLY=true cannot be combined with TEAMS_APP_ID: tokens are always checked when an app id is set.',
    );
  if (appId && teams.appType !== 'UserAssignedMSI' && !teams.tokenSidecarUrl && !teams.appPassword) {
    read.problem(
      'TEAMS_APP_PASSWORD is required with TEAMS_APP_ID (unless TEAMS_APP_TYPE=UserAssignedMSI or TEAMS_TOKEN_SIDECAR_URL is set).',
    );
  }
  // Local-only mode has no app registration, so no tenant either.
  if (appId && teams.appType !== 'MultiTenant' && !teams.tenantId)
    read.problem(`TEAMS_APP_TENANT_ID is required with TEAMS_APP_TYPE=${teams.appType} (the default).`);
  if (teams.sdk === 'botbuilder' && teams.tokenSidecarUrl)
    read.problem('TEAMS_TOKEN_SIDECAR_URL applies to TEAMS_SDK=agents only.');
  return { teams, localOnly };
}
