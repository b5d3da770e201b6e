import { createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { AppError } from '../domain/errors.js';

export interface EntraTokenValidatorOptions {
  /** The OpenID metadata document: Entra's for the tenant; tests: a local fake. */
  metadataUrl: string;
  /** Accepted `aud` values: the app's Application ID URI and/or its client id. */
  audiences: readonly string[];
  /** Accepted `iss` values: the tenant's v1 and v2 issuers. */
  issuers: readonly string[];
  now?: () => number;
}

export interface TokenClaims {
  iss: string;
  aud: string;
  [claim: string]: unknown;
}

/** Clock skew allowed on `exp` and `nbf`, as Entra's own libraries allow. */
const SKEW_MS = 5 * 60_000;
/** Signing keys roll over; they are read again a day later, or when a token names an unknown key. */
const KEYS_TTL_MS = 24 * 3_600_000;
/** At most one refresh for unknown keys this often, so forged `kid`s cannot hammer Entra. */
const UNKNOWN_KID_REFRESH_MS = 5 * 60_000;

/** The tenant's issuers, v1 (`sts.windows.net`) and v2 tokens. */
export function entraIssuers(tenantId: string): string[] {
  return [`https://sts.windows.net/${tenantId}/`, `https://login.microsoftonline.com/${tenantId}/v2.0`];
}

/** Entra's OpenID metadata for a tenant. */
export function entraMetadataUrl(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0/.well-known/openid-configuration`;
}

/**
 * Checks an Entra ID bearer token the way an API must: RS256 signature by a key the tenant's
 * OpenID metadata publishes, issuer, audience, expiry and not-before. Any failure is `auth.token`
 * (401) with the reason, never the token.
 */
export class EntraTokenValidator {
  private keys: Map<string, KeyObject> | undefined;
  private keysAt = 0;
  private lastUnknownRefresh = -Infinity;
  private readonly now: () => number;

  constructor(private readonly o: EntraTokenValidatorOptions) {
    this.now = o.now ?? Date.now;
  }

  async validate(authorization: string | undefined): Promise<TokenClaims> {
    const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? '');
    if (!m) throw refused('no bearer token');
    const [, head, body, signature] = m as unknown as [string, string, string, string];
    const header = decode(head) as { alg?: unknown; kid?: unknown };
    if (header.alg !== 'RS256') throw refused('the token is not signed with RS256');
    if (typeof header.kid !== 'string') throw refused('the token names no signing key');
    const key = await this.key(header.kid);
    if (!key) throw refused('the token is signed by a key the tenant does not publish');
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${head}.${body}`),
      key,
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) throw refused('the token signature is not valid');
    const claims = decode(body) as Partial<TokenClaims> & { exp?: unknown; nbf?: unknown };
    const now = this.now();
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < now - SKEW_MS)
      throw refused('the token has expired');
    if (typeof claims.nbf === 'number' && claims.nbf * 1000 > now + SKEW_MS)
      throw refused('the token is not valid yet');
    if (typeof claims.iss !== 'string' || !this.o.issuers.includes(claims.iss))
      throw refused('the token was issued by another tenant');
    if (typeof claims.aud !== 'string' || !this.o.audiences.includes(claims.aud))
      throw refused('the token is for another audience');
    return claims as TokenClaims;
  }

  private async key(kid: string): Promise<KeyObject | undefined> {
    const stale = !this.keys || this.now() - this.keysAt > KEYS_TTL_MS;
    if (stale) await this.loadKeys();
    else if (!this.keys!.has(kid) && this.now() - this.lastUnknownRefresh > UNKNOWN_KID_REFRESH_MS) {
      this.lastUnknownRefresh = this.now();
      await this.loadKeys();
    }
    return this.keys?.get(kid);
  }

  private async loadKeys(): Promise<void> {
    try {
      const metadata = (await getJson(this.o.metadataUrl)) as { jwks_uri?: unknown };
      if (typeof metadata.jwks_uri !== 'string') throw new Error('the metadata has no jwks_uri');
      const jwks = (await getJson(metadata.jwks_uri)) as { keys?: (JsonWebKey & { kid?: string })[] };
      const keys = new Map<string, KeyObject>();
      for (const k of jwks.keys ?? []) {
        if (k.kty !== 'RSA' || typeof k.kid !== 'string') continue;
        keys.set(k.kid, createPublicKey({ key: { kty: k.kty, n: k.n, e: k.e }, format: 'jwk' }));
      }
      this.keys = keys;
      this.keysAt = this.now();
    } catch (e) {
      // Keys already known keep working while the metadata cannot be read.
      if (this.keys) return;
      throw new AppError('auth.keys_unavailable', 'The signing keys of Entra ID could not be read.', {
        statusCode: 503,
        cause: e,
      });
    }
  }
}

function refused(reason: string): AppError {
  return new AppError('auth.token', `Not authenticated: ${reason}.`, { statusCode: 401 });
}

function decode(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  throw refused('the token is malformed');
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}
