import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenIdSigningKeys } from '../../src/identity/openid-signing-keys.js';
import { startFakeOpenIdKeys } from '../fakes/fake-openid-keys.js';

/** A metadata server whose key document is `keys()`, counting the reads of it. */
async function serve(keys: () => string): Promise<{ url: string; reads: () => number; server: Server }> {
  let reads = 0;
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/metadata') return res.end(JSON.stringify({ jwks_uri: `${base}/keys` }));
    reads++;
    res.end(keys());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`,
    reads: () => reads,
    server,
  };
}

describe('OpenID signing keys', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  it('reads the keys with their endorsements, and again for an unknown kid at most every 5 minutes', async () => {
    const fake = await startFakeOpenIdKeys();
    const published = await (await fetch(fake.url.replace('openidconfiguration', 'keys'))).text();
    await fake.close();
    const metadata = await serve(() => published);
    servers.push(metadata.server);
    let now = 1_000_000;
    const keys = new OpenIdSigningKeys({ metadataUrl: metadata.url, now: () => now });
    expect((await keys.key('fake-bot-framework-key'))?.endorsements).toEqual(['msteams', 'emulator']);
    const unendorsed = await keys.key('fake-unendorsed-key');
    expect(unendorsed?.key.asymmetricKeyType).toBe('rsa');
    expect(unendorsed?.endorsements).toBeUndefined();
    expect(metadata.reads()).toBe(1);
    expect(await keys.key('nobody')).toBeUndefined();
    expect(await keys.key('nobody-else')).toBeUndefined();
    expect(metadata.reads()).toBe(2);
    now += 5 * 60_000 + 1;
    expect(await keys.key('nobody')).toBeUndefined();
    expect(metadata.reads()).toBe(3);
  });

  it('refuses a key document larger than any real one', async () => {
    const metadata = await serve(() => JSON.stringify({ keys: [], padding: 'x'.repeat(600 * 1024) }));
    servers.push(metadata.server);
    const keys = new OpenIdSigningKeys({ metadataUrl: metadata.url });
    await expect(keys.key('any')).rejects.toThrow(/larger than/);
  });
});
