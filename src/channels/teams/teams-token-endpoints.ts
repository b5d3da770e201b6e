import type { TeamsSettings } from './teams-settings.js';
import {
  BOT_FRAMEWORK_CHANNEL_METADATA_URL,
  BotFrameworkTokenValidator,
  registrationIssuers,
} from '../../identity/bot-framework-token.js';

/** Where the signing keys of incoming tokens are read: the same for both SDKs. */
export interface IncomingTokenEndpoints {
  /** The Bot Framework's OpenID metadata (TEAMS_OPENID_METADATA_URL; tests: a local fake). */
  channelMetadataUrl: string;
  /** Entra's OpenID metadata for the bot's tenant, under TEAMS_AUTHORITY. */
  entraMetadataUrl: string;
}

export function incomingTokenEndpoints(s: TeamsSettings): IncomingTokenEndpoints {
  const authority = (s.authority ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  return {
    channelMetadataUrl: s.openIdMetadataUrl ?? BOT_FRAMEWORK_CHANNEL_METADATA_URL,
    entraMetadataUrl: `${authority}/${s.tenantId ?? 'common'}/v2.0/.well-known/openid-configuration`,
  };
}

/** The one check of incoming tokens both SDKs' adapters run behind. */
export function botFrameworkTokenValidator(s: TeamsSettings, appId: string): BotFrameworkTokenValidator {
  return new BotFrameworkTokenValidator({
    appId,
    ...incomingTokenEndpoints(s),
    entraIssuers: registrationIssuers(s.tenantId),
  });
}
