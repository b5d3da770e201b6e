import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createJsonLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import type { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import { startFakeBotConnector } from '../fakes/fake-bot-connector.js';
import type { FakeOpenIdKeys } from '../fakes/fake-openid-keys.js';
import { startFakeOpenIdKeys } from '../fakes/fake-openid-keys.js';
import {
  activity,
  APP_ID,
  appIdEnv,
  channelClaims,
  mention,
  post,
  SDKS,
  teamsEnv,
  TENANT,
} from '../support/teams-bot.js';

/**
 * Every Teams token the Bot Framework's rules refuse, sent to the real /api/messages of a bot on
 * each SDK (the product's HTTP server, TeamsChannel and the SDK's CloudAdapter), with the keys of
 * a local OpenID issuer: each is a 401 with a fixed body and nothing is done — no command runs,
 * the Bot Connector hears nothing. The tokens Azure Bot Service really sends get in.
 */
const OTHER_APP = '99999999-8888-4777-8666-555555555555';
const OTHER_TENANT = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const NOW = () => Math.floor(Date.now() / 1000);

interface Ctx {
  keys: FakeOpenIdKeys;
  connector: FakeBotConnector;
}

/** A channel token's claims for the fake Bot Connector, changed by `over` (undefined drops a claim). */
const channel = (c: Ctx, over: Record<string, unknown> = {}) =>
  dropUndefined(channelClaims(c.connector.url, over));

/**
 * A token the tenant's Entra issued for the bot's app id (v1: `appid`, v2: `azp` names who asked
 * for it); by default the bot's own app asked, as the Bot Framework Emulator does with the bot's
 * credentials.
 */
const tenantClaims = (over: Record<string, unknown> = {}) =>
  dropUndefined({
    iss: `https://sts.windows.net/${TENANT}/`,
    aud: APP_ID,
    tid: TENANT,
    ver: '1.0',
    appid: APP_ID,
    nbf: NOW() - 60,
    exp: NOW() + 3600,
    ...over,
  });
const tenantV2Claims = (over: Record<string, unknown> = {}) =>
  tenantClaims({
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    ver: '2.0',
    appid: undefined,
    azp: APP_ID,
    ...over,
  });

function dropUndefined(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
}

const bearer = (token: string) => `Bearer ${token}`;

/** Authorization headers that must be refused (undefined: no header), with the reason logged. */
const REFUSED: Record<string, [RegExp, (c: Ctx) => string | undefined]> = {
  'no Authorization header': [/no Bearer token/, () => undefined],
  'the Basic scheme': [/no Bearer token/, (c) => `Basic ${c.keys.token(channel(c))}`],
  'the scheme in lower case': [/no Bearer token/, (c) => `bearer ${c.keys.token(channel(c))}`],
  'Bearer without a token': [/no Bearer token/, () => 'Bearer '],
  'two tokens': [/no Bearer token/, (c) => `Bearer ${c.keys.token(channel(c))} ${c.keys.token(channel(c))}`],
  'not a JWT': [/malformed/, () => 'Bearer not.a.jwt'],
  'one segment': [/no Bearer token/, () => 'Bearer abc'],
  garbage: [/no Bearer token/, () => `Bearer ${'%'.repeat(500)}`],
  'binary garbage': [
    /no Bearer token/,
    () => `Bearer ${Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64')}`,
  ],
  'alg none': [/no Bearer token/, (c) => bearer(c.keys.token(channel(c), { alg: 'none' }))],
  'HS256 keyed with the public key': [
    /HS256, not RS256/,
    (c) => bearer(c.keys.token(channel(c), { alg: 'HS256' })),
  ],
  'signed by a foreign key under a published kid': [
    /signature is not valid/,
    (c) => bearer(c.keys.token(channel(c), { key: c.keys.strangerKey })),
  ],
  'an unknown kid': [/does not publish/, (c) => bearer(c.keys.token(channel(c), { kid: 'nobody' }))],
  'no kid': [/names no signing key/, (c) => bearer(c.keys.token(channel(c), { kid: null }))],
  'a tampered payload': [
    /signature is not valid/,
    (c) => {
      const [head, , signature] = c.keys.token(channel(c)).split('.');
      const body = Buffer.from(JSON.stringify(channel(c, { aud: OTHER_APP }))).toString('base64url');
      return bearer(`${head}.${body}.${signature}`);
    },
  ],
  "a channel token signed by the tenant's Entra key": [
    /channel token is signed by a key its issuer does not publish/,
    (c) => bearer(c.keys.token(channel(c), { signer: 'entra' })),
  ],
  'a key whose endorsements lack the channel': [
    /not endorsed for msteams/,
    (c) => bearer(c.keys.token(channel(c), { signer: 'webchat-only' })),
  ],
  'a channel key without endorsements': [
    /carries no endorsements/,
    (c) => bearer(c.keys.token(channel(c), { signer: 'unendorsed' })),
  ],
  'no exp': [/no expiry/, (c) => bearer(c.keys.token(channel(c, { exp: undefined })))],
  'exp not a number': [/no expiry/, (c) => bearer(c.keys.token(channel(c, { exp: String(NOW() + 3600) })))],
  'expired beyond the 5 minutes of skew': [
    /has expired/,
    (c) => bearer(c.keys.token(channel(c, { nbf: NOW() - 3600, exp: NOW() - 6 * 60 }))),
  ],
  'nbf beyond the 5 minutes of skew': [
    /not valid yet/,
    (c) => bearer(c.keys.token(channel(c, { nbf: NOW() + 6 * 60, exp: NOW() + 3600 }))),
  ],
  'no issuer': [
    /issuer is not one this bot trusts/,
    (c) => bearer(c.keys.token(channel(c, { iss: undefined }))),
  ],
  'a wrong issuer': [
    /issuer is not one this bot trusts/,
    (c) => bearer(c.keys.token(channel(c, { iss: 'https://evil.example' }))),
  ],
  'the Bot Framework issuer with a trailing slash': [
    /issuer is not one this bot trusts/,
    (c) => bearer(c.keys.token(channel(c, { iss: 'https://api.botframework.com/' }))),
  ],
  'a wrong audience': [/audience/, (c) => bearer(c.keys.token(channel(c, { aud: OTHER_APP })))],
  'several audiences': [/audience/, (c) => bearer(c.keys.token(channel(c, { aud: [APP_ID, OTHER_APP] })))],
  'no audience': [/audience/, (c) => bearer(c.keys.token(channel(c, { aud: undefined })))],
  'the Bot Connector as audience (a bot outbound token)': [
    /audience/,
    (c) => bearer(c.keys.token(channel(c, { aud: 'https://api.botframework.com' }))),
  ],
  'a channel token without serviceurl': [
    /no serviceurl claim/,
    (c) => bearer(c.keys.token(channel(c, { serviceurl: undefined }))),
  ],
  'serviceurl on another host': [
    /serviceurl is not the activity/,
    (c) => bearer(c.keys.token(channel(c, { serviceurl: 'https://evil.example/' }))),
  ],
  'serviceurl on another port': [
    /serviceurl is not the activity/,
    (c) => {
      const url = new URL(c.connector.url);
      url.port = String(Number(url.port) + 1);
      return bearer(c.keys.token(channel(c, { serviceurl: url.toString() })));
    },
  ],
  'serviceurl with another path': [
    /serviceurl is not the activity/,
    (c) => bearer(c.keys.token(channel(c, { serviceurl: `${c.connector.url}/amer` }))),
  ],
  'serviceurl with another scheme': [
    /serviceurl is not the activity/,
    (c) => bearer(c.keys.token(channel(c, { serviceurl: c.connector.url.replace('http:', 'https:') }))),
  ],
  'serviceurl not a string': [
    /no serviceurl claim/,
    (c) => bearer(c.keys.token(channel(c, { serviceurl: [c.connector.url] }))),
  ],
  'a tenant token without serviceurl issued to another app of the tenant (v1 appid)': [
    /issued to another app/,
    (c) => bearer(c.keys.token(tenantClaims({ appid: OTHER_APP }), { signer: 'entra' })),
  ],
  'a tenant token issued to another app of the tenant (v2 azp)': [
    /issued to another app/,
    (c) => bearer(c.keys.token(tenantV2Claims({ azp: OTHER_APP }), { signer: 'entra' })),
  ],
  'a tenant token issued to another app, with the right serviceurl': [
    /issued to another app/,
    (c) =>
      bearer(
        c.keys.token(tenantClaims({ appid: OTHER_APP, serviceurl: c.connector.url }), { signer: 'entra' }),
      ),
  ],
  'a tenant token without ver': [
    /no known ver claim/,
    (c) => bearer(c.keys.token(tenantClaims({ ver: undefined }), { signer: 'entra' })),
  ],
  'a tenant token of an unknown ver': [
    /no known ver claim/,
    (c) => bearer(c.keys.token(tenantClaims({ ver: '3.0' }), { signer: 'entra' })),
  ],
  'a v1 tenant token without appid': [
    /names no requesting app \(appid\)/,
    (c) => bearer(c.keys.token(tenantClaims({ appid: undefined, azp: APP_ID }), { signer: 'entra' })),
  ],
  'a v2 tenant token without azp': [
    /names no requesting app \(azp\)/,
    (c) => bearer(c.keys.token(tenantV2Claims({ azp: undefined, appid: APP_ID }), { signer: 'entra' })),
  ],
  "the bot's own token for another resource (aud Graph)": [
    /audience/,
    (c) => bearer(c.keys.token(tenantClaims({ aud: 'https://graph.microsoft.com' }), { signer: 'entra' })),
  ],
  'a token from another tenant': [
    /issuer is not one this bot trusts/,
    (c) =>
      bearer(
        c.keys.token(tenantClaims({ iss: `https://sts.windows.net/${OTHER_TENANT}/`, tid: OTHER_TENANT }), {
          signer: 'entra',
        }),
      ),
  ],
  "a tenant token signed by the Bot Framework's key": [
    /bot-registration token is signed by a key its issuer does not publish/,
    (c) => bearer(c.keys.token(tenantClaims())),
  ],
  'a tenant token whose serviceurl names another host': [
    /serviceurl is not the activity/,
    (c) => bearer(c.keys.token(tenantClaims({ serviceurl: 'https://evil.example/' }), { signer: 'entra' })),
  ],
};

/** What Azure Bot Service (or the bot's own registration) really sends: let in. */
const ACCEPTED: Record<string, (c: Ctx) => { authorization: string; serviceUrl?: string }> = {
  'a Bot Framework channel token, as Azure Bot Service sends it to this single-tenant bot': (c) => ({
    authorization: bearer(c.keys.token(channel(c))),
  }),
  "the activity's serviceUrl with a trailing slash the claim lacks": (c) => ({
    authorization: bearer(c.keys.token(channel(c))),
    serviceUrl: `${c.connector.url}/`,
  }),
  "the claim with a trailing slash, the activity's host in upper case": (c) => ({
    authorization: bearer(c.keys.token(channel(c, { serviceurl: 'https://smba.example.net/teams/' }))),
    serviceUrl: 'HTTPS://SMBA.Example.NET/teams',
  }),
  'expired within the 5 minutes of skew': (c) => ({
    authorization: bearer(c.keys.token(channel(c, { nbf: NOW() - 3600, exp: NOW() - 2 * 60 }))),
  }),
  'nbf within the 5 minutes of skew': (c) => ({
    authorization: bearer(c.keys.token(channel(c, { nbf: NOW() + 2 * 60 }))),
  }),
  "a v1 token the bot's own app got from its tenant (the Emulator's path)": (c) => ({
    authorization: bearer(c.keys.token(tenantClaims(), { signer: 'entra' })),
  }),
  "a v2 token the bot's own app got from its tenant (the Emulator's path)": (c) => ({
    authorization: bearer(c.keys.token(tenantV2Claims(), { signer: 'entra' })),
  }),
};

/** Activities no Bot Framework channel sends, each with a valid token: 400, nothing run. */
const MALFORMED: Record<string, (c: Ctx) => Record<string, unknown>> = {
  'no type': (c) => activity(c.connector, { type: undefined }),
  'no serviceUrl': (c) => activity(c.connector, { serviceUrl: undefined }),
  'a serviceUrl that is not a string': (c) => activity(c.connector, { serviceUrl: 42 }),
  'a serviceUrl that is not a URL': (c) => activity(c.connector, { serviceUrl: 'not a url' }),
  'a serviceUrl that is not http(s)': (c) => activity(c.connector, { serviceUrl: 'file:///etc/passwd' }),
  'no channelId': (c) => activity(c.connector, { channelId: undefined }),
  'text that is an object': (c) => activity(c.connector, { text: { toString: 'backup myVM now' } }),
  'entities that are not an array': (c) =>
    activity(c.connector, { ...mention('backup myVM now'), entities: {} }),
  'entities with a non-object item': (c) =>
    activity(c.connector, { ...mention('backup myVM now'), entities: ['mention'] }),
  'entities with a null item': (c) =>
    activity(c.connector, { ...mention('backup myVM now'), entities: [null] }),
  'membersAdded that is not an array': (c) =>
    activity(c.connector, { type: 'conversationUpdate', membersAdded: { id: '28:backup-bot' } }),
  'membersAdded with a member without id': (c) =>
    activity(c.connector, { type: 'conversationUpdate', membersAdded: [{ name: 'x' }] }),
  'no from': (c) => activity(c.connector, { ...mention('backup myVM now'), from: undefined }),
  'a from without id': (c) =>
    activity(c.connector, { ...mention('backup myVM now'), from: { aadObjectId: '6f1c0a52' } }),
  'an aadObjectId that is not a string': (c) =>
    activity(c.connector, { ...mention('backup myVM now'), from: { id: '29:x', aadObjectId: { $ne: '' } } }),
  'no conversation': (c) => activity(c.connector, { ...mention('backup myVM now'), conversation: undefined }),
  'a conversation without id': (c) =>
    activity(c.connector, { ...mention('backup myVM now'), conversation: { conversationType: 'personal' } }),
  'a recipient that is not an object': (c) =>
    activity(c.connector, { ...mention('backup myVM now'), recipient: '28:backup-bot' }),
};

describe.each(SDKS)('Teams tokens on %s', (sdk) => {
  let bot: RunningBot;
  const c = {} as Ctx;
  const lines: string[] = [];

  beforeAll(async () => {
    c.connector = await startFakeBotConnector();
    c.keys = await startFakeOpenIdKeys();
    bot = await startBot(
      loadConfig(teamsEnv(appIdEnv(sdk, c.keys))),
      createJsonLogger({ write: (line) => void lines.push(line) }),
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await c.connector?.close();
    await c.keys?.close();
  });

  /** Nothing reached the Bot Connector and no job started, a moment after the answer. */
  async function expectNothingDone(jobsBefore: number): Promise<void> {
    await new Promise((res) => setTimeout(res, 50));
    expect(c.connector.calls).toHaveLength(0);
    expect(bot.sandbox!.world.jobs.length).toBe(jobsBefore);
  }

  it.each(Object.keys(REFUSED))(
    'refuses %s: 401, fixed body, the reason logged, nothing done',
    async (what) => {
      const jobs = bot.sandbox!.world.jobs.length;
      const logged = lines.length;
      const [reason, header] = REFUSED[what]!;
      const authorization = header(c);
      const r = await post(
        bot,
        activity(c.connector, mention('backup myVM now')),
        authorization === undefined ? {} : { authorization },
      );
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 'auth.unauthenticated', message: 'Authentication failed.' } });
      const refusals = lines
        .slice(logged)
        .map((l) => JSON.parse(l) as { msg: string; reason?: string })
        .filter((l) => l.msg === 'teams request refused: authentication failed');
      expect(refusals).toHaveLength(1);
      expect(refusals[0]!.reason).toMatch(reason);
      expect(refusals[0]!.reason).not.toMatch(/eyJ/);
      await expectNothingDone(jobs);
    },
  );

  it.each(Object.keys(MALFORMED))('answers an activity with %s 400 even with a valid token', async (what) => {
    const jobs = bot.sandbox!.world.jobs.length;
    const r = await post(bot, dropUndefined(MALFORMED[what]!(c)), {
      authorization: bearer(c.keys.token(channel(c))),
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: { code: 'validation.activity', message: 'Not a Bot Framework activity.' },
    });
    await expectNothingDone(jobs);
  });

  it.each(Object.keys(ACCEPTED))('lets in %s', async (what) => {
    const { authorization, serviceUrl } = ACCEPTED[what]!(c);
    // A conversation update with no new member: let in, it does nothing visible.
    const quiet = activity(c.connector, {
      type: 'conversationUpdate',
      ...(serviceUrl ? { serviceUrl } : {}),
    });
    const r = await post(bot, quiet, { authorization });
    expect(r.status).toBe(200);
  });
});
