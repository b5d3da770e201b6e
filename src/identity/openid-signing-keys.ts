import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** A published RSA signing key and the channels it may sign for (Bot Framework keys only). */
export interface SigningKey {
  key: KeyObject;
  endorsements?: readonly string[];
}

export interface OpenIdSigningKeysOptions {
  /** The OpenID metadata document; its `jwks_uri` lists the keys. */
  metadataUrl: string;
  now?: () => number;
  /** Each document read gives up after this long (default 10 s). */
  timeoutMs?: number;
}

/** Signing keys roll over; they are read again a day later, or when a token names an unknown key. */
const KEYS_TTL_MS = 24 * 3_600_000;
/** At most one refresh for unknown keys this often, so forged `kid`s cannot hammer the issuer. */
const UNKNOWN_KID_REFRESH_MS = 5 * 60_000;
/** Key documents are a few KiB; anything much larger is not one. */
const MAX_DOCUMENT_BYTES = 512 * 1024;

/**
 * The signing keys an OpenID metadata document publishes, cached: read at first use, again after a
 * day, and at most every 5 minutes when a token names a key not yet known. Keys already known keep
 * working while the documents cannot be read.
 */
export class OpenIdSigningKeys {
  private keys: Map<string, SigningKey> | undefined;
  private keysAt = 0;
  private lastUnknownRefresh = -Infinity;
  private loading: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly o: OpenIdSigningKeysOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The key with this id, or undefined when the issuer does not publish it. */
  async key(kid: string): Promise<SigningKey | undefined> {
    if (!this.keys || this.now() - this.keysAt > KEYS_TTL_MS) await this.refresh();
    else if (!this.keys.has(kid) && this.now() - this.lastUnknownRefresh > UNKNOWN_KID_REFRESH_MS) {
      this.lastUnknownRefresh = this.now();
      await this.refresh();
    }
    return this.keys?.get(kid);
  }

  /** One read at a time: concurrent requests wait for the same one. */
  private refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    try {
      const metadata = await this.getJson(this.o.metadataUrl);
      const jwksUri = (metadata as { jwks_uri?: unknown }).jwks_uri;
      if (typeof jwksUri !== 'string') throw new Error('the metadata has no jwks_uri');
      const jwks = (await this.getJson(jwksUri)) as { keys?: unknown };
      const keys = new Map<string, SigningKey>();
      for (const k of Array.isArray(jwks.keys) ? (jwks.keys as unknown[]) : []) {
        const signing = signingKeyOf(k);
        if (signing) keys.set(signing.kid, signing.key);
      }
      this.keys = keys;
      this.keysAt = this.now();
    } catch (e) {
      if (this.keys) return;
      throw new Error(`the signing keys could not be read from ${this.o.metadataUrl}: ${String(e)}`);
    }
  }

  /** A JSON document, read within the time and size bounds. */
  private async getJson(url: string): Promise<unknown> {
    const response = await fetch(url, { signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    if (Number(response.headers.get('content-length') ?? 0) > MAX_DOCUMENT_BYTES)
      throw new Error(`${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > MAX_DOCUMENT_BYTES) throw new Error(`${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
      chunks.push(chunk);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  }
}

/** An RSA signature key of a JWKS, or undefined for anything else (encryption keys, EC, broken). */
function signingKeyOf(k: unknown): { kid: string; key: SigningKey } | undefined {
  if (!k || typeof k !== 'object') return undefined;
  const jwk = k as {
    kty?: unknown;
    use?: unknown;
    kid?: unknown;
    n?: unknown;
    e?: unknown;
    endorsements?: unknown;
  };
  if (
    jwk.kty !== 'RSA' ||
    typeof jwk.kid !== 'string' ||
    typeof jwk.n !== 'string' ||
    typeof jwk.e !== 'string'
  )
    return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  try {
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    const endorsements = Array.isArray(jwk.endorsements)
      ? jwk.endorsements.filter((x): x is string => typeof x === 'string')
      : undefined;
    return { kid: jwk.kid, key: { key, ...(endorsements ? { endorsements } : {}) } };
  } catch {
    return undefined;
  }
}
