import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework's OpenID metadata and Entra: the document and the signing
 * keys (endorsed for msteams and the emulator) that botbuilder reads to check incoming tokens, the
 * same keys under an Entra authority's `{tenant}/discovery/v2.0/keys` for the Agents SDK, and a
 * Microsoft Entra SDK sidecar that hands out the bot's outbound token, so tests can sign real
 * tokens — good, expired, for another audience — without the internet.
 */
export interface FakeOpenIdKeys {
  /** The metadata document's URL (TEAMS_OPENID_METADATA_URL, botbuilder). */
  url: string;
  /** The Entra authority (TEAMS_AUTHORITY, Agents SDK): keys at `{authority}/{tenant}/discovery/v2.0/keys`. */
  authority: string;
  /** The token sidecar (TEAMS_TOKEN_SIDECAR_URL, Agents SDK). */
  sidecarUrl: string;
  /** The outbound token the sidecar hands out. */
  outboundToken: string;
  /** How many outbound tokens the sidecar handed out. */
  sidecarCalls(): number;
  /** A JWT over `claims`, RS256-signed with the published key unless told otherwise. */
  token(claims: Record<string, unknown>, o?: { alg?: string; kid?: string; key?: KeyObject }): string;
  /** A key that is not published (for "signed by someone else"). */
  strangerKey: KeyObject;
  close(): Promise<void>;
}

const KID = 'fake-bot-framework-key';

export async function startFakeOpenIdKeys(): Promise<FakeOpenIdKeys> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const jwk = publicKey.export({ format: 'jwk' });
  const outboundToken = 'fake-outbound-token';
  let sidecarCalls = 0;
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') {
      return send({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/.well-known/keys` });
    }
    if (req.url?.startsWith('/AuthorizationHeaderUnauthenticated/')) {
      sidecarCalls++;
      return send({ authorizationHeader: `Bearer ${outboundToken}` });
    }
    if (req.url === '/v1/.well-known/keys' || /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(req.url ?? '')) {
      return send({
        keys: [
          { kty: 'RSA', use: 'sig', kid: KID, n: jwk.n, e: jwk.e, endorsements: ['msteams', 'emulator'] },
        ],
      });
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
      const alg = o.alg ?? 'RS256';
      const head = `${b64({ alg, typ: 'JWT', kid: o.kid ?? KID })}.${b64(claims)}`;
      if (alg === 'none') return `${head}.`;
      const signature = sign('RSA-SHA256', Buffer.from(head), o.key ?? privateKey);
      return `${head}.${signature.toString('base64url')}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
