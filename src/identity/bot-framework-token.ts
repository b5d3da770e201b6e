import { verify } from 'node:crypto';
import { AppError } from '../domain/errors.js';
import type { SigningKey } from './openid-signing-keys.js';
import { OpenIdSigningKeys } from './openid-signing-keys.js';

/**
 * The Bot Framework's "connector to bot" authentication, as botbuilder's JwtTokenValidation does
 * it (`botframework-connector/src/auth/`: ParameterizedBotFrameworkAuthentication, ChannelValidation,
 * EmulatorValidation, SkillValidation, JwtTokenExtractor, EndorsementsValidator), for both SDKs.
 * Two kinds of token get in:
 * - a channel token, what Azure Bot Service sends with every activity (multi-tenant, single-tenant
 *   and managed-identity bots alike): issuer `https://api.botframework.com`, signed by a key of the
 *   Bot Framework's OpenID metadata that is endorsed for the activity's channel, audience = the
 *   bot's app id, and a `serviceurl` claim equal to the activity's serviceUrl (where replies go);
 * - a token the bot's OWN app registration got from Entra (the Bot Framework Emulator's path):
 *   an issuer of the bot's tenant or of the Bot Framework's, signed by an Entra key, audience =
 *   the app id, and `appid` (v1) / `azp` (v2) = the app id — so no other app of the tenant, which
 *   can get a token for the bot's app id too, passes (botbuilder reads those as skill tokens and
 *   refuses them).
 * Everything else is refused, with the reason (never the token) for the log.
 */
export interface BotFrameworkTokenOptions {
  /** The bot's Microsoft App ID. */
  appId: string;
  /** The Bot Framework's OpenID metadata (channel tokens' keys). */
  channelMetadataUrl: string;
  /** Entra's OpenID metadata (keys of tokens the bot's own registration got). */
  entraMetadataUrl: string;
  /** Issuers of tokens the bot's own registration got: its tenant's and the Bot Framework's. */
  entraIssuers: readonly string[];
  now?: () => number;
}

/** What the activity says of itself, to be bound to the token. */
export interface ActivityClaims {
  channelId: string;
  serviceUrl: string;
}

export interface VerifiedBotFrameworkToken {
  kind: 'channel' | 'bot-registration';
  claims: Readonly<Record<string, unknown>>;
  /** The signed `serviceurl` claim: replies go there exactly (absent on a registration token). */
  serviceUrl?: string;
}

/** Azure Bot Service's tokens (botbuilder: AuthenticationConstants.ToBotFromChannelTokenIssuer). */
export const BOT_FRAMEWORK_CHANNEL_ISSUER = 'https://api.botframework.com';
export const BOT_FRAMEWORK_CHANNEL_METADATA_URL =
  'https://login.botframework.com/v1/.well-known/openidconfiguration';

/**
 * Issuers of tokens an app registration gets from Entra: its tenant's (v1 and v2), and the Bot
 * Framework's own tenants (botbuilder's ToBotFromBotOrEmulatorTokenValidationParameters, public
 * cloud; botbuilder also trusts the token's own `tid`, which amounts to any tenant).
 */
export function registrationIssuers(tenantId: string | undefined): string[] {
  const tenants = [
    ...(tenantId ? [tenantId] : []),
    'd6d49420-f39b-4df7-a1dc-d59a935871db',
    'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  ];
  return tenants.flatMap((t) => [
    `https://sts.windows.net/${t}/`,
    `https://login.microsoftonline.com/${t}/v2.0`,
  ]);
}

/** Clock skew allowed on `exp` and `nbf`, as botbuilder allows (clockTolerance 5 × 60). */
const SKEW_MS = 5 * 60_000;

export class BotFrameworkTokenValidator {
  private readonly channelKeys: OpenIdSigningKeys;
  private readonly entraKeys: OpenIdSigningKeys;
  private readonly now: () => number;

  constructor(private readonly o: BotFrameworkTokenOptions) {
    this.now = o.now ?? Date.now;
    this.channelKeys = new OpenIdSigningKeys({ metadataUrl: o.channelMetadataUrl, now: this.now });
    this.entraKeys = new OpenIdSigningKeys({ metadataUrl: o.entraMetadataUrl, now: this.now });
  }

  async validate(
    authorization: string | undefined,
    activity: ActivityClaims,
  ): Promise<VerifiedBotFrameworkToken> {
    // botbuilder's JwtTokenExtractor: exactly "Bearer <token>", the scheme as written.
    const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? '');
    if (!m) throw refused('no Bearer token');
    const [, head, body, signature] = m as unknown as [string, string, string, string];
    const header = decode(head);
    // AuthenticationConstants.AllowedSigningAlgorithms also names RS384/RS512; the Bot Framework
    // and Entra sign with RS256, and the Agents SDK accepts nothing else.
    if (header.alg !== 'RS256') throw refused(`the token is signed with ${String(header.alg)}, not RS256`);
    if (typeof header.kid !== 'string' || !header.kid) throw refused('the token names no signing key');
    if (header.crit !== undefined) throw refused('the token has critical header parameters');
    const claims = decode(body);
    const kind = this.kindOf(claims.iss);
    const key = await (kind === 'channel' ? this.channelKeys : this.entraKeys).key(header.kid);
    if (!key) throw refused(`the ${kind} token is signed by a key its issuer does not publish`);
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${head}.${body}`),
      key.key,
      Buffer.from(signature, 'base64url'),
    );
    if (!signed) throw refused('the token signature is not valid');
    this.checkLifetime(claims);
    if (claims.aud !== this.o.appId) throw refused("the token's audience is not the bot's app id");
    checkEndorsement(key, activity.channelId, kind === 'channel');
    if (kind === 'bot-registration') this.checkRegistrationApp(claims);
    const serviceUrl = checkServiceUrl(claims.serviceurl, activity.serviceUrl, kind === 'channel');
    return { kind, claims, ...(serviceUrl ? { serviceUrl } : {}) };
  }

  /** The issuer decides which keys may have signed the token (botbuilder: hasAllowedIssuer). */
  private kindOf(iss: unknown): VerifiedBotFrameworkToken['kind'] {
    if (iss === BOT_FRAMEWORK_CHANNEL_ISSUER) return 'channel';
    if (typeof iss === 'string' && this.o.entraIssuers.includes(iss)) return 'bot-registration';
    throw refused(`the token's issuer is not one this bot trusts`);
  }

  /** `exp` required (botbuilder's jsonwebtoken would skip a missing one), `nbf` when present. */
  private checkLifetime(claims: Record<string, unknown>): void {
    const now = this.now();
    if (typeof claims.exp !== 'number') throw refused('the token has no expiry');
    if (claims.exp * 1000 + SKEW_MS < now) throw refused('the token has expired');
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf * 1000 - SKEW_MS > now))
      throw refused('the token is not valid yet');
  }

  /**
   * EmulatorValidation: a `ver` claim is required; v1 names the requesting app in `appid`, v2 in
   * `azp`; it must be the bot's own app. Any other app of a tenant can get a token for the bot's
   * app id, so this is what tells the bot's own registration from them.
   */
  private checkRegistrationApp(claims: Record<string, unknown>): void {
    const { ver } = claims;
    if (ver !== '1.0' && ver !== '2.0') throw refused('the token has no known ver claim (1.0 or 2.0)');
    const requester = ver === '1.0' ? claims.appid : claims.azp;
    if (typeof requester !== 'string' || !requester)
      throw refused(`the v${ver} token names no requesting app (${ver === '1.0' ? 'appid' : 'azp'})`);
    if (requester !== this.o.appId) throw refused('the token was issued to another app than the bot');
  }
}

/**
 * EndorsementsValidator: a key with endorsements may sign only for those channels. Every Bot
 * Framework key carries its endorsements, so a channel token's key must have them; Entra's keys
 * carry none.
 */
function checkEndorsement(key: SigningKey, channelId: string, required: boolean): void {
  const endorsements = key.endorsements ?? [];
  if (endorsements.length === 0) {
    if (required) throw refused('the signing key carries no endorsements');
    return;
  }
  if (!endorsements.includes(channelId)) throw refused(`the signing key is not endorsed for ${channelId}`);
}

/**
 * ChannelValidation: the token names the Bot Connector it came with (`serviceurl`), and it must be
 * the one the activity names, since replies — with the bot's own token — go there. Required on a
 * channel token; checked on a registration token when present. Returns the signed value.
 */
function checkServiceUrl(claim: unknown, activityUrl: string, required: boolean): string | undefined {
  if (claim === undefined && !required) return undefined;
  if (typeof claim !== 'string') throw refused('the token has no serviceurl claim');
  const signed = normalisedServiceUrl(claim);
  if (!signed || signed !== normalisedServiceUrl(activityUrl))
    throw refused("the token's serviceurl is not the activity's serviceUrl");
  return claim;
}

/**
 * A service URL as compared: scheme, host (case-insensitive), port and path, one trailing slash
 * ignored. Anything but http(s), or with credentials in it, is no service URL.
 */
export function normalisedServiceUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password)
    return undefined;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}${url.search}`;
}

function refused(reason: string): AppError {
  return new AppError('auth.token', `Not authenticated: ${reason}.`, { statusCode: 401 });
}

function decode(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  throw refused('the token is malformed');
}
