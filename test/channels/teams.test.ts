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
import {
  activity,
  APPROVER,
  appIdEnv,
  cardOf,
  channelClaims,
  lastActivityId,
  mention,
  OPERATOR,
  post,
  READER,
  SDKS,
  teamsEnv as env,
} from '../support/teams-bot.js';

/**
 * The real CloudAdapter — the Microsoft 365 Agents SDK's and botbuilder's, the same contract for
 * both — behind the product's HTTP server, fed Bot Framework activities over HTTP as Teams sends
 * them; what the bot says is read from a local fake Bot Connector. Every bad token and malformed
 * activity is in `test/security/teams-token-matrix.test.ts`.
 */
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
      connector.calls.find((c) => c.method === 'POST' && c.activityId === lastActivityId()),
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
    const id = lastActivityId();
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
    for (const serviceUrl of ['https://evil.example/', 'http://10.0.0.5:3978/']) {
      const r = await post(bot, { ...activity(connector, mention('backup myVM now')), serviceUrl });
      expect(r.status, serviceUrl).toBe(403);
      expect(JSON.stringify(r.body)).not.toMatch(/Error|at /);
    }
    // No serviceUrl, or one that is no URL, is no activity at all.
    for (const serviceUrl of ['not a url', undefined]) {
      const r = await post(bot, { ...activity(connector, mention('backup myVM now')), serviceUrl });
      expect(r.status, String(serviceUrl)).toBe(400);
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

describe.each(SDKS)('Teams channel on %s with an app id', (sdk) => {
  let bot: RunningBot;
  let connector: FakeBotConnector;
  let keys: FakeOpenIdKeys;

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    keys = await startFakeOpenIdKeys();
    bot = await startBot(loadConfig(env(appIdEnv(sdk, keys))), silentLogger);
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
    await keys?.close();
  });

  it('lets in an activity with the token Azure Bot Service sends', async () => {
    const r = await post(bot, activity(connector, { type: 'conversationUpdate' }), {
      authorization: `Bearer ${keys.token(channelClaims(connector.url))}`,
    });
    expect(r.status).toBe(200);
    // The Agents SDK gets the bot's outbound token at the start of every turn it runs.
    expect(keys.sidecarCalls() > 0).toBe(sdk === 'agents');
  });

  // botbuilder would get its token from Entra itself, which is not reachable from the tests: the
  // test exists on the Agents SDK only (defined, not skipped, so CI reports no skipped test).
  if (sdk === 'agents')
    it("answers an authenticated activity with the bot's own token, from the sidecar, at the signed serviceUrl", async () => {
      // The activity names its Bot Connector with a trailing slash the token's claim lacks.
      const r = await post(
        bot,
        activity(connector, {
          type: 'conversationUpdate',
          membersAdded: [{ id: '28:backup-bot' }],
          serviceUrl: `${connector.url}/`,
        }),
        { authorization: `Bearer ${keys.token(channelClaims(connector.url))}` },
      );
      expect(r.status).toBe(200);
      const welcome = await until('the welcome', () =>
        connector.calls.find((c) => /I am backup-chatops/.test(cardOf(c))),
      );
      expect(welcome.authorization).toBe(`Bearer ${keys.outboundToken}`);
    });
});
