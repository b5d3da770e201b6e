import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework's OpenID metadata and Entra: the Bot Framework's document
 * and signing keys (endorsed for the channels they may sign for), an Entra authority with the
 * tenant's own keys (`{tenant}/v2.0/.well-known/openid-configuration`, no endorsements, as Entra
 * publishes them), and a Microsoft Entra SDK sidecar that hands out the bot's outbound token, so
 * tests can sign real tokens — good, expired, for another audience, by the wrong key — without
 * the internet.
 */
export interface FakeOpenIdKeys {
  /** The Bot Framework's metadata document (TEAMS_OPENID_METADATA_URL). */
  url: string;
  /** The Entra authority (TEAMS_AUTHORITY): metadata at `{authority}/{tenant}/v2.0/.well-known/openid-configuration`. */
  authority: string;
  /** The token sidecar (TEAMS_TOKEN_SIDECAR_URL, Agents SDK). */
  sidecarUrl: string;
  /** The outbound token the sidecar hands out. */
  outboundToken: string;
  /** How many outbound tokens the sidecar handed out. */
  sidecarCalls(): number;
  /**
   * A JWT over `claims`, RS256-signed by the Bot Framework's msteams/emulator key unless told
   * otherwise: `signer` picks another published key, `key` an unpublished one, `kid: null` leaves
   * the key id out, `alg: 'HS256'` is an HMAC keyed with the Bot Framework key's public PEM.
   */
  token(claims: Record<string, unknown>, o?: TokenOptions): string;
  /** A key that is not published (for "signed by someone else"). */
  strangerKey: KeyObject;
  close(): Promise<void>;
}

/** The published keys: the Bot Framework's (three endorsement sets) and the Entra tenant's. */
export type FakeSigner = 'botframework' | 'webchat-only' | 'unendorsed' | 'entra';

export interface TokenOptions {
  alg?: string;
  kid?: string | null;
  key?: KeyObject;
  signer?: FakeSigner;
}

interface PublishedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  endorsements?: string[];
}

function published(kid: string, endorsements?: string[]): PublishedKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, ...(endorsements ? { endorsements } : {}) };
}

function jwkOf(k: PublishedKey): Record<string, unknown> {
  const jwk = k.publicKey.export({ format: 'jwk' });
  return {
    kty: 'RSA',
    use: 'sig',
    kid: k.kid,
    n: jwk.n,
    e: jwk.e,
    ...(k.endorsements ? { endorsements: k.endorsements } : {}),
  };
}

export async function startFakeOpenIdKeys(): Promise<FakeOpenIdKeys> {
  const signers: Record<FakeSigner, PublishedKey> = {
    botframework: published('fake-bot-framework-key', ['msteams', 'emulator']),
    'webchat-only': published('fake-webchat-key', ['webchat']),
    unendorsed: published('fake-unendorsed-key'),
    entra: published('fake-entra-key'),
  };
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const outboundToken = 'fake-outbound-token';
  let sidecarCalls = 0;
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const path = req.url ?? '';
    if (path === '/v1/.well-known/openidconfiguration') {
      return send({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/.well-known/keys` });
    }
    if (path === '/v1/.well-known/keys') {
      const { botframework, 'webchat-only': webchat, unendorsed } = signers;
      return send({ keys: [jwkOf(botframework), jwkOf(webchat), jwkOf(unendorsed)] });
    }
    const entraMetadata = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (entraMetadata) {
      const tenant = entraMetadata[1]!;
      return send({
        issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
      });
    }
    if (/^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) return send({ keys: [jwkOf(signers.entra)] });
    if (path.startsWith('/AuthorizationHeaderUnauthenticated/')) {
      sidecarCalls++;
      return send({ authorizationHeader: `Bearer ${outboundToken}` });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/v1/.well-known/openidconfiguration`,
    authority: base,
    sidecarUrl: base,
    outboundToken,
    sidecarCalls: () => sidecarCalls,
    strangerKey: stranger,
    token(claims, o = {}) {
      const signer = signers[o.signer ?? 'botframework'];
      const alg = o.alg ?? 'RS256';
      const kid = o.kid === null ? {} : { kid: o.kid ?? signer.kid };
      const head = `${b64({ alg, typ: 'JWT', ...kid })}.${b64(claims)}`;
      if (alg === 'none') return `${head}.`;
      if (alg === 'HS256') {
        const secret = signer.publicKey.export({ format: 'pem', type: 'spki' });
        return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
      }
      const signature = sign('RSA-SHA256', Buffer.from(head), o.key ?? signer.privateKey);
      return `${head}.${signature.toString('base64url')}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
