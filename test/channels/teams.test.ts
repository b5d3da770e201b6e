import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createJsonLogger, silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import { until } from '../support/until.js';
import type { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import { startFakeBotConnector } from '../fakes/fake-bot-connector.js';
import type { FakeOpenIdKeys } from '../fakes/fake-openid-keys.js';
import { startFakeOpenIdKeys } from '../fakes/fake-openid-keys.js';

/**
 * The real CloudAdapter — the Microsoft 365 Agents SDK's and botbuilder's, the same contract for
 * both — behind the product's HTTP server, fed Bot Framework activities over HTTP as Teams sends
 * them; what the bot says is read from a local fake Bot Connector.
 */
const OPERATOR = '6f1c0a52-6a5e-4d7f-9d7a-0d2b1c3e4f50';
const READER = '0b9d7e1a-1111-4c4c-8a8a-9e9e9e9e9e9e';
const APPROVER = '7c2e1f00-2222-4d4d-9b9b-8f8f8f8f8f8f';
const SDKS = ['agents', 'botbuilder'] as const;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'teams-')), 'bot.db'),
    SANDBOX_CLOCK_SPEED: '0',
    WATCH_INTERVAL_MS: '50',
    ROLE_OPERATORS: OPERATOR,
    ROLE_APPROVERS: APPROVER,
    ...extra,
  };
}

let seq = 0;
function activity(connector: FakeBotConnector, over: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'message',
    id: `msg-${++seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: '29:alice', name: 'Alice', aadObjectId: OPERATOR },
    conversation: { id: 'a:conv-1', conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: '28:backup-bot', name: 'backup-bot' },
    ...over,
  };
}

function mention(text: string): Record<string, unknown> {
  return {
    text: `<at>backup-bot</at> ${text}`,
    entities: [
      {
        type: 'mention',
        mentioned: { id: '28:backup-bot', name: 'backup-bot' },
        text: '<at>backup-bot</at>',
      },
    ],
  };
}

async function post(
  bot: RunningBot,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, body: json && text ? (JSON.parse(text) as unknown) : text };
}

const cardOf = (call: { body: Record<string, unknown> }): string =>
  JSON.stringify((call.body.attachments as unknown[] | undefined) ?? []);

describe.each(SDKS)('Teams channel on %s (no app id: local-only mode)', (sdk) => {
  let bot: RunningBot;
  let connector: FakeBotConnector;

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    bot = await startBot(
      loadConfig(env({ TEAMS_LOCAL_ONLY: 'true', TEAMS_SDK: sdk })),
      process.env.DEBUG_TEAMS ? createJsonLogger() : silentLogger,
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });

  it('answers a mention with a job card and updates it in place through both phases', async () => {
    const r = await post(bot, activity(connector, mention('backup myVM now')));
    expect(r.status).toBe(200);
    const reply = await until('the reply', () =>
      connector.calls.find((c) => c.method === 'POST' && c.activityId === `msg-${seq}`),
    );
    expect(reply.conversationId).toBe('a:conv-1');
    const cardId = await until(
      'the card id',
      () =>
        connector.calls.find((c) => c.method === 'PUT' && cardOf(c).includes('Take Snapshot'))?.activityId,
    );
    expect(cardOf(connector.calls.find((c) => c.method === 'PUT' && c.activityId === cardId)!)).toContain(
      'In progress',
    );

    bot.sandbox!.clock.advance(8 * 60_000);
    await until('the transfer update', () =>
      connector.calls.find(
        (c) =>
          c.method === 'PUT' &&
          c.activityId === cardId &&
          /running for/.test(cardOf(c)) &&
          /took 8 min/.test(cardOf(c)),
      ),
    );
    bot.sandbox!.clock.advance(35 * 60_000);
    const done = await until('the final update', () =>
      connector.calls.find(
        (c) => c.method === 'PUT' && c.activityId === cardId && /✅ Completed/.test(cardOf(c)),
      ),
    );
    expect(cardOf(done)).toContain('took 33 min');
    const updates = connector.calls.filter((c) => c.method === 'PUT' && c.activityId === cardId);
    expect(updates).toHaveLength(3); // the answer, the transfer, the end: nothing redundant
  });

  it('answers /api/messages before posting anything, so a slow Bot Connector cannot delay the 200', async () => {
    // The placeholder's first try is throttled for 2 s; the turn must not wait for its retry.
    connector.throttleNext(1, 2);
    const r = await post(bot, activity(connector, mention('status of jobs')));
    expect(r.status).toBe(200);
    const id = `msg-${seq}`;
    expect(connector.calls.filter((c) => c.activityId === id)).toHaveLength(0);
    const placeholder = await until(
      'the placeholder, once retried',
      () => connector.calls.find((c) => c.method === 'POST' && c.activityId === id),
      10_000,
    );
    expect(cardOf(placeholder)).toContain('Working on it');
    const before = connector.calls.indexOf(placeholder);
    await until('the answer in its place', () =>
      connector.calls.slice(before).find((c) => c.method === 'PUT' && /Backup jobs · /.test(cardOf(c))),
    );
  });

  it('answers a card refresh (adaptiveCard/action) in the invoke response', async () => {
    const jobId = (await bot.sandbox!.world.jobs.at(-1))!.id;
    const r = await post(
      bot,
      activity(connector, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: 'act-card-1',
        value: { action: { type: 'Action.Execute', verb: 'job.refresh', data: { jobId } } },
      }),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: { type: 'AdaptiveCard' },
    });
    expect(JSON.stringify(r.body)).toContain(jobId);
  });

  it('refreshing a watched job card twice keeps one watch: one update per phase change, and the same card', async () => {
    const before = connector.calls.length;
    await post(bot, activity(connector, mention('backup myVM now')));
    const answer = await until('the job card', () =>
      connector.calls.slice(before).find((c) => c.method === 'PUT' && /Take Snapshot/.test(cardOf(c))),
    );
    const cardId = answer.activityId!;
    expect(cardOf(answer)).toMatch(/Kept until/);
    expect(cardOf(answer)).toMatch(/Consistency/);
    const jobId = /"jobId":"([^"]+)"/.exec(cardOf(answer))![1]!;
    for (let i = 0; i < 2; i++) {
      const r = await post(
        bot,
        activity(connector, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: cardId,
          value: { action: { type: 'Action.Execute', verb: 'job.refresh', data: { jobId } } },
        }),
      );
      // The refreshed card is the same card: what only the backup's answer knew is still on it.
      expect(JSON.stringify(r.body)).toMatch(/Kept until/);
      expect(JSON.stringify(r.body)).toMatch(/Consistency/);
    }
    const mark = connector.calls.length;
    bot.sandbox!.clock.advance(8 * 60_000);
    await until('the transfer update', () =>
      connector.calls
        .slice(mark)
        .find((c) => c.method === 'PUT' && c.activityId === cardId && /running for/.test(cardOf(c))),
    );
    // Rounds enough for any second or third watch of the card to have sent its own update.
    await new Promise((res) => setTimeout(res, 600));
    const updates = connector.calls.slice(mark).filter((c) => c.method === 'PUT' && c.activityId === cardId);
    expect(updates).toHaveLength(1);
    expect(cardOf(updates[0]!)).toMatch(/Kept until/);
  });

  it('refuses activities whose replies would go anywhere but this machine (the serviceUrl)', async () => {
    const before = connector.calls.length;
    const jobs = bot.sandbox!.world.jobs.length;
    for (const serviceUrl of ['https://evil.example/', 'http://10.0.0.5:3978/', 'not a url', undefined]) {
      const r = await post(bot, { ...activity(connector, mention('backup myVM now')), serviceUrl });
      expect(r.status, String(serviceUrl)).toBe(403);
      expect(JSON.stringify(r.body)).not.toMatch(/Error|at /);
    }
    await new Promise((res) => setTimeout(res, 200));
    expect(connector.calls.length).toBe(before);
    expect(bot.sandbox!.world.jobs.length).toBe(jobs);
  });

  it('welcomes the team when the bot is added', async () => {
    const before = connector.calls.length;
    await post(
      bot,
      activity(connector, { type: 'conversationUpdate', membersAdded: [{ id: '28:backup-bot' }] }),
    );
    const welcome = await until('the welcome', () =>
      connector.calls.slice(before).find((c) => /I am backup-chatops/.test(cardOf(c))),
    );
    expect(welcome.method).toBe('POST');
  });

  it('keys roles by AAD object id: a reader is refused backup now', async () => {
    const before = connector.calls.length;
    await post(
      bot,
      activity(connector, {
        ...mention('backup myVM now'),
        from: { id: '29:carol', name: 'Alice', aadObjectId: READER },
      }),
    );
    await until('the refusal', () =>
      connector.calls.slice(before).find((c) => /needs the operator role/.test(cardOf(c))),
    );
  });

  it('decides an approval from the card: Action.Execute with the typed name, answered in the invoke response', async () => {
    const before = connector.calls.length;
    await post(bot, activity(connector, mention('delete resource group rg-eastus')));
    const request = await until('the approval card', () =>
      connector.calls.slice(before).find((c) => c.method === 'PUT' && /Approval needed/.test(cardOf(c))),
    );
    const approvalId = /"approvalId":"([0-9a-f]+)"/.exec(cardOf(request))![1]!;
    const invoke = (aadObjectId: string, confirmName: string) =>
      post(
        bot,
        activity(connector, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: request.activityId,
          from: { id: '29:someone', name: 'Someone', aadObjectId },
          value: {
            action: { type: 'Action.Execute', verb: 'approval.approve', data: { approvalId, confirmName } },
          },
        }),
      );
    const self = await invoke(OPERATOR, 'rg-eastus');
    expect(self.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' }); // refusal in a new message
    const done = await invoke(APPROVER, 'rg-eastus');
    // The click is answered at once; the deletion runs in the background and its end comes to the
    // card (in the response already if it was that quick).
    expect(done.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(done.body)).toMatch(/Approved, running|Approved and done/);
    if (!/Approved and done/.test(JSON.stringify(done.body))) {
      await until('the outcome on the approval card', () =>
        connector.calls.find(
          (c) =>
            c.method === 'PUT' && c.activityId === request.activityId && /Approved and done/.test(cardOf(c)),
        ),
      );
    }
    expect(bot.sandbox!.world.resourceGroups.has('rg-eastus')).toBe(false);
  });

  it('delivers the final state even when the connector throttles updates', async () => {
    const before = connector.calls.length;
    await post(bot, activity(connector, mention('backup myVM now')));
    const cardId = await until(
      'the card',
      () =>
        connector.calls.slice(before).find((c) => c.method === 'PUT' && /Take Snapshot/.test(cardOf(c)))
          ?.activityId,
    );
    connector.throttleNext(3, 0);
    bot.sandbox!.clock.advance(60 * 60_000);
    await until('the final card despite 429s', () =>
      connector.calls.find(
        (c) => c.method === 'PUT' && c.activityId === cardId && /✅ Completed/.test(cardOf(c)),
      ),
    );
  });
});

const TENANT = '3f0c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const APP_ID = '00000000-aaaa-4bbb-8ccc-000000000001';
type Claims = (over?: Record<string, unknown>) => Record<string, unknown>;

/**
 * What differs between the SDKs with an app id: where they read signing keys, which issuer a good
 * token has, and the bad tokens only one of them has a rule for.
 */
const WITH_APP_ID = [
  {
    sdk: 'agents',
    env: (keys: FakeOpenIdKeys) => ({
      TEAMS_SDK: 'agents',
      TEAMS_AUTHORITY: keys.authority,
      TEAMS_TOKEN_SIDECAR_URL: keys.sidecarUrl,
    }),
    // A token Entra issued for the bot's tenant (its keys come from the authority).
    issuer: (keys: FakeOpenIdKeys) => `${keys.authority}/${TENANT}/v2.0`,
    // The Agents SDK trusts Microsoft's first-party tenants as issuers (Entra signs for them), but
    // binds such an issuer to the token's tenant; Bot Framework tokens' keys are
    // login.botframework.com's, which the fake key did not sign for (and is not reachable here).
    moreBad: (keys: FakeOpenIdKeys, claims: Claims): Record<string, string> => ({
      'a first-party issuer for another tenant (tid)': `Bearer ${keys.token(claims({ iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', tid: TENANT }))}`,
      'a Bot Framework issuer (keys not reachable)': `Bearer ${keys.token(claims({ iss: 'https://api.botframework.com' }))}`,
    }),
    outboundTokenFromSidecar: true,
  },
  {
    sdk: 'botbuilder',
    env: (keys: FakeOpenIdKeys) => ({ TEAMS_SDK: 'botbuilder', TEAMS_OPENID_METADATA_URL: keys.url }),
    issuer: () => 'https://api.botframework.com',
    moreBad: (keys: FakeOpenIdKeys, claims: Claims): Record<string, string> => ({
      'an emulator issuer (keys not reachable)': `Bearer ${keys.token(claims({ iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/' }))}`,
    }),
    outboundTokenFromSidecar: false,
  },
] as const;

describe.each(WITH_APP_ID)('Teams channel on $sdk with an app id', (row) => {
  let bot: RunningBot;
  let connector: FakeBotConnector;
  let keys: FakeOpenIdKeys;
  const lines: string[] = [];

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    keys = await startFakeOpenIdKeys();
    bot = await startBot(
      loadConfig(
        env({
          TEAMS_APP_ID: APP_ID,
          TEAMS_APP_PASSWORD: 'not-a-real-secret',
          TEAMS_APP_TENANT_ID: TENANT,
          ...row.env(keys),
        }),
      ),
      createJsonLogger({ write: (line) => void lines.push(line) }),
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
    await keys?.close();
  });

  /** Claims of a token the Bot Framework would send for an activity to `connector`. */
  const claims: Claims = (over = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: row.issuer(keys),
      aud: APP_ID,
      nbf: now - 60,
      exp: now + 3600,
      serviceurl: connector.url,
      ...over,
    };
  };
  // An activity that does nothing visible once let in: a conversation update with no new member.
  const quiet = () => activity(connector, { type: 'conversationUpdate' });

  it('lets in an activity with a valid token', async () => {
    const r = await post(bot, quiet(), { authorization: `Bearer ${keys.token(claims())}` });
    expect(r.status).toBe(200);
    // The Agents SDK gets the bot's outbound token at the start of every turn it runs.
    expect(keys.sidecarCalls() > 0).toBe(row.outboundTokenFromSidecar);
  });

  it('answers every rejected token with 401 and a body that carries no library error text', async () => {
    const now = Math.floor(Date.now() / 1000);
    const valid = keys.token(claims());
    const bad: Record<string, string | undefined> = {
      'no header': undefined,
      'no bearer scheme': `Basic ${valid}`,
      'bearer without a token': 'Bearer ',
      expired: `Bearer ${keys.token(claims({ nbf: now - 7200, exp: now - 3600 }))}`,
      'not valid yet': `Bearer ${keys.token(claims({ nbf: now + 3600, exp: now + 7200 }))}`,
      'wrong audience': `Bearer ${keys.token(claims({ aud: '11111111-2222-4333-8444-555555555555' }))}`,
      'wrong issuer': `Bearer ${keys.token(claims({ iss: 'https://evil.example' }))}`,
      ...row.moreBad(keys, claims),
      'another service url': `Bearer ${keys.token(claims({ serviceurl: 'https://evil.example/' }))}`,
      'signed by another key': `Bearer ${keys.token(claims(), { key: keys.strangerKey })}`,
      'an unknown key id': `Bearer ${keys.token(claims(), { kid: 'nobody' })}`,
      unsigned: `Bearer ${valid.split('.').slice(0, 2).join('.')}`,
      'alg none': `Bearer ${keys.token(claims(), { alg: 'none' })}`,
      'HS256 with the public key as secret': `Bearer ${keys.token(claims(), { alg: 'HS256' })}`,
      'tampered payload': `Bearer ${valid.split('.')[0]}.${Buffer.from(JSON.stringify(claims({ aud: 'x' }))).toString('base64url')}.${valid.split('.')[2]}`,
      malformed: 'Bearer not.a.jwt',
      'one segment': 'Bearer abc',
      garbage: `Bearer ${'%'.repeat(500)}`,
      'binary garbage': `Bearer ${Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64')}`,
    };
    const jobs = bot.sandbox!.world.jobs.length;
    for (const [what, authorization] of Object.entries(bad)) {
      const r = await post(
        bot,
        activity(connector, mention('backup myVM now')),
        authorization === undefined ? {} : { authorization },
      );
      expect(r.status, what).toBe(401);
      expect(r.body, what).toEqual({
        error: { code: 'auth.unauthenticated', message: 'Authentication failed.' },
      });
    }
    await new Promise((res) => setTimeout(res, 200));
    expect(connector.calls).toHaveLength(0);
    expect(bot.sandbox!.world.jobs.length).toBe(jobs);
    // Each refusal is one JSON log line with the reason, for the operator.
    const refusals = lines
      .map((l) => JSON.parse(l) as { msg: string })
      .filter((l) => l.msg === 'teams request refused: authentication failed');
    expect(refusals.length).toBe(Object.keys(bad).length);
  });

  // botbuilder would get its token from Entra itself, which is not reachable from the tests: the
  // test exists on the Agents SDK only (defined, not skipped, so CI reports no skipped test).
  if (row.outboundTokenFromSidecar)
    it("answers an authenticated activity with the bot's own token, from the sidecar", async () => {
      const r = await post(
        bot,
        activity(connector, { type: 'conversationUpdate', membersAdded: [{ id: '28:backup-bot' }] }),
        { authorization: `Bearer ${keys.token(claims())}` },
      );
      expect(r.status).toBe(200);
      const welcome = await until('the welcome', () =>
        connector.calls.find((c) => /I am backup-chatops/.test(cardOf(c))),
      );
      expect(welcome.authorization).toBe(`Bearer ${keys.outboundToken}`);
    });
});
