import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import { until } from '../support/until.js';
import type { FakeSlackApi, SlackCall } from '../fakes/fake-slack-api.js';
import {
  eventCallbackBody,
  mentionEventBody,
  sendSigned,
  startFakeSlackApi,
} from '../fakes/fake-slack-api.js';

/**
 * The real Bolt App behind the product's HTTP server, fed HMAC-signed requests exactly as Slack
 * sends them; what the bot says is read from a local fake Slack Web API.
 */
const SECRET = 'slack-signing-secret-for-tests';
const OPERATOR = 'T0FAKE:UALICE';

let bot: RunningBot;
let slack: FakeSlackApi;
const events = () => `${bot.url}/slack/events`;
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const blocksOf = (c: SlackCall | undefined) => JSON.stringify(c?.args.blocks ?? []);

function interaction(payload: Record<string, unknown>): string {
  return form({ payload: JSON.stringify(payload) });
}

beforeAll(async () => {
  slack = await startFakeSlackApi();
  bot = await startBot(
    loadConfig({
      PORT: '0',
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'slack-')), 'bot.db'),
      SANDBOX_CLOCK_SPEED: '0',
      WATCH_INTERVAL_MS: '50',
      // Erin is listed by workspace (the old way) in two workspaces of one Grid organisation; Dave by
      // organisation (the new way).
      ROLE_OPERATORS: `${OPERATOR},T0FAKE:UERIN`,
      ROLE_APPROVERS: 'T0FAKE:UBOB,T0OTHER:UERIN,E0GRID:UDAVE',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
    }),
    silentLogger,
  );
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
});

describe('Slack channel (HTTP mode)', () => {
  it('acks a slash command at once with its working view, posts the job card and follows it through both phases with chat.update', async () => {
    const started = Date.now();
    const r = await sendSigned(
      events(),
      SECRET,
      slack.commandBody('backup myVM now'),
      'application/x-www-form-urlencoded',
    );
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    // "Working on it…" rides in the ack (ephemeral: Slack's default), costing no Web API call.
    const ack = JSON.parse(r.text) as { text: string; blocks: unknown[]; response_type?: string };
    expect(ack.text).toMatch(/Working on it/);
    expect(JSON.stringify(ack.blocks)).toContain('backup myVM now');
    expect(ack.response_type ?? 'ephemeral').toBe('ephemeral');
    // A watched job's card needs a ts: a new message, not the response_url.
    const answer = await until('the job message', () =>
      slack.calls.find((c) => c.method === 'chat.postMessage' && /Take Snapshot/.test(blocksOf(c))),
    );
    expect(answer.args.channel).toBe('C0OPS');
    expect(slack.calls.filter((c) => c.method === 'response_url' || c.method === 'chat.update')).toEqual([]);
    const ts = answer.ts;
    bot.sandbox!.clock.advance(8 * 60_000);
    await until('the transfer update', () =>
      slack.calls.find(
        (c) =>
          c.method === 'chat.update' &&
          c.args.ts === ts &&
          /running for/.test(blocksOf(c)) &&
          /took 8 min/.test(blocksOf(c)),
      ),
    );
    bot.sandbox!.clock.advance(35 * 60_000);
    await until('the final update', () =>
      slack.calls.find(
        (c) => c.method === 'chat.update' && c.args.ts === ts && /✅ Completed/.test(blocksOf(c)),
      ),
    );
    const updates = slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === ts);
    expect(updates).toHaveLength(2);
    // Block ids are fresh on each update, so Slack re-renders the message.
    const ids = [answer, ...updates].map((u) => (u.args.blocks as { block_id: string }[])[0]!.block_id);
    expect(new Set(ids).size).toBe(3);
  });

  it('answers a slash command through its response_url, in the channel, without chat.postMessage or chat.update', async () => {
    const before = slack.calls.length;
    const body = slack.commandBody('list vms');
    // Slack's 429 on the response URL is waited out like the Web API's.
    slack.throttleNext(1);
    expect((await sendSigned(events(), SECRET, body, 'application/x-www-form-urlencoded')).status).toBe(200);
    const answer = await until('the VM list on the response_url', () =>
      slack.calls.slice(before).find((c) => c.method === 'response_url' && /db-eastus-01/.test(blocksOf(c))),
    );
    expect(answer.responseUrl).toBe(new URL(new URLSearchParams(body).get('response_url')!).pathname);
    expect(answer.args.response_type).toBe('in_channel');
    expect(answer.args.replace_original).toBeUndefined();
    expect(
      slack.calls.slice(before).filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update'),
    ).toEqual([]);
  });

  it('posts the answer with chat.postMessage once Slack refuses a used-up response_url', async () => {
    // Slack takes 5 posts per response_url; the same command delivered 6 times needs a 6th.
    const body = slack.commandBody('policies');
    const url = new URL(new URLSearchParams(body).get('response_url')!).pathname;
    const before = slack.calls.length;
    // Each delivery signed anew, with its own timestamp (the same signature twice is a replay,
    // answered once): counted down from one instant, so no two coincide however long each takes.
    const first = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 6; i++) {
      await sendSigned(events(), SECRET, body, 'application/x-www-form-urlencoded', {
        timestamp: first - i,
      });
      await until(
        `answer ${i + 1}`,
        () => {
          const mine = slack.calls
            .slice(before)
            .filter(
              (c) =>
                (c.method === 'response_url' && c.responseUrl === url) ||
                (c.method === 'chat.postMessage' && /EnhancedPolicy/.test(blocksOf(c))),
            );
          return mine.length > i ? true : undefined;
          // A loaded 2-core machine can take longer than the default 10 s for one answer.
        },
        20_000,
      );
    }
    const answers = slack.calls.slice(before).filter((c) => c.method !== 'auth.test');
    expect(answers.map((c) => c.method)).toEqual([...Array(5).fill('response_url'), 'chat.postMessage']);
  });

  it('answers an app mention in the channel', async () => {
    const before = slack.calls.length;
    const r = await sendSigned(
      events(),
      SECRET,
      eventCallbackBody({
        type: 'app_mention',
        user: 'UALICE',
        text: '<@UBOT> list vms',
        channel: 'C0OPS',
        ts: '1.1',
        team: 'T0FAKE',
      }),
      'application/json',
    );
    expect(r.status).toBe(200);
    await until('the VM list', () =>
      slack.calls.slice(before).find((c) => c.method === 'chat.update' && /db-eastus-01/.test(blocksOf(c))),
    );
  });

  it('answers a direct message', async () => {
    const before = slack.calls.length;
    await sendSigned(
      events(),
      SECRET,
      eventCallbackBody({
        type: 'message',
        channel_type: 'im',
        user: 'UALICE',
        text: 'policies',
        channel: 'D0ALICE',
        ts: '2.2',
      }),
      'application/json',
    );
    const reply = await until('the policy list', () =>
      slack.calls.slice(before).find((c) => c.method === 'chat.update' && /EnhancedPolicy/.test(blocksOf(c))),
    );
    expect(reply.args.channel).toBe('D0ALICE');
  });

  it('keys roles by team and user id: a reader is refused', async () => {
    const before = slack.calls.length;
    await sendSigned(
      events(),
      SECRET,
      slack.commandBody('backup myVM now', 'UCAROL'),
      'application/x-www-form-urlencoded',
    );
    await until('the refusal', () =>
      slack.calls
        .slice(before)
        .find((c) => c.method === 'response_url' && /needs the operator role/.test(blocksOf(c))),
    );
  });

  it('runs a button on the same message for refresh, with the verb from action_id', async () => {
    const job = bot.sandbox!.world.jobs.at(-1)!;
    const before = slack.calls.length;
    const r = await sendSigned(
      events(),
      SECRET,
      interaction({
        type: 'block_actions',
        user: { id: 'UALICE', name: 'alice', team_id: 'T0FAKE' },
        team: { id: 'T0FAKE' },
        channel: { id: 'C0OPS' },
        message: { ts: '1700000099.000100' },
        trigger_id: 'trigger-2',
        api_app_id: 'A0FAKE',
        actions: [
          {
            type: 'button',
            action_id: 'job.refresh#0',
            block_id: 'b1',
            value: JSON.stringify({ jobId: job.id }),
            action_ts: '1',
          },
        ],
      }),
      'application/x-www-form-urlencoded',
    );
    expect(r.status).toBe(200);
    const update = await until('the refreshed job', () =>
      slack.calls.slice(before).find((c) => c.method === 'chat.update'),
    );
    expect(update.args.ts).toBe('1700000099.000100');
    expect(blocksOf(update)).toContain(job.id);
  });

  it('acknowledges a press on a link button (the portal) and answers nothing', async () => {
    const job = bot.sandbox!.world.jobs.at(-1)!;
    const before = slack.calls.length;
    const press = (actionId: string, ts: string, value?: string) =>
      sendSigned(
        events(),
        SECRET,
        interaction({
          type: 'block_actions',
          user: { id: 'UALICE', name: 'alice', team_id: 'T0FAKE' },
          team: { id: 'T0FAKE' },
          channel: { id: 'C0OPS' },
          message: { ts },
          trigger_id: 'trigger-link',
          api_app_id: 'A0FAKE',
          actions: [
            {
              type: 'button',
              action_id: actionId,
              block_id: 'b1',
              action_ts: '1',
              ...(value ? { value } : {}),
            },
          ],
        }),
        'application/x-www-form-urlencoded',
      );
    expect((await press('link.portal#1', '1700000098.000100')).status).toBe(200);
    // A press that does answer, after it: once its update is out, the link's would have been too.
    expect(
      (await press('job.refresh#0', '1700000099.000200', JSON.stringify({ jobId: job.id }))).status,
    ).toBe(200);
    await until('the refreshed job', () =>
      slack.calls.slice(before).find((c) => c.method === 'chat.update' && c.args.ts === '1700000099.000200'),
    );
    const answers = slack.calls
      .slice(before)
      .filter(
        (c) => c.method !== 'auth.test' && (c.method !== 'chat.update' || c.args.ts !== '1700000099.000200'),
      );
    expect(answers.map((c) => c.method)).toEqual([]);
  });

  it('asks an approver for the typed name in a modal, then runs the request and updates its message', async () => {
    const before = slack.calls.length;
    await sendSigned(
      events(),
      SECRET,
      slack.commandBody('delete resource group rg-eastus'),
      'application/x-www-form-urlencoded',
    );
    // An approval's card is updated with its outcome later: a new message, with a ts.
    const request = await until('the approval request', () =>
      slack.calls
        .slice(before)
        .find((c) => c.method === 'chat.postMessage' && /Approval needed/.test(blocksOf(c))),
    );
    const approvalId = /\\"approvalId\\":\\"([0-9a-f]+)\\"/.exec(blocksOf(request))![1]!;
    await sendSigned(
      events(),
      SECRET,
      interaction({
        type: 'block_actions',
        user: { id: 'UBOB', name: 'bob', team_id: 'T0FAKE' },
        team: { id: 'T0FAKE' },
        channel: { id: 'C0OPS' },
        message: { ts: request.ts },
        trigger_id: 'trigger-3',
        api_app_id: 'A0FAKE',
        actions: [
          {
            type: 'button',
            action_id: 'approval.approve#0',
            block_id: 'b1',
            value: JSON.stringify({ approvalId }),
            action_ts: '1',
          },
        ],
      }),
      'application/x-www-form-urlencoded',
    );
    const open = await until('views.open', () =>
      slack.calls.slice(before).find((c) => c.method === 'views.open'),
    );
    const view = open.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { element: { type: string } }[];
    };
    expect(view.blocks[0]!.element.type).toBe('plain_text_input');
    const submit = (name: string) =>
      sendSigned(
        events(),
        SECRET,
        interaction({
          type: 'view_submission',
          user: { id: 'UBOB', name: 'bob', team_id: 'T0FAKE' },
          team: { id: 'T0FAKE' },
          api_app_id: 'A0FAKE',
          view: {
            id: 'V0FAKE',
            callback_id: view.callback_id,
            private_metadata: view.private_metadata,
            state: { values: { confirm: { name: { type: 'plain_text_input', value: name } } } },
          },
        }),
        'application/x-www-form-urlencoded',
      );
    expect((await submit('rg-east')).status).toBe(200);
    await until('the mismatch message', () =>
      slack.calls
        .slice(before)
        .find((c) => c.method === 'chat.postMessage' && /type the name exactly/i.test(blocksOf(c))),
    );
    expect((await submit('rg-eastus')).status).toBe(200);
    const done = await until('the executed request', () =>
      slack.calls
        .slice(before)
        .find(
          (c) =>
            c.method === 'chat.update' && c.args.ts === request.ts && /Approved and done/.test(blocksOf(c)),
        ),
    );
    expect(blocksOf(done)).not.toContain('approval.approve');
    expect(bot.sandbox!.world.resourceGroups.has('rg-eastus')).toBe(false);
  });

  it('refuses a forged signature and a 6-minute-old timestamp with 401, running nothing', async () => {
    const before = slack.calls.length;
    const jobs = bot.sandbox!.world.jobs.length;
    const forged = await sendSigned(
      events(),
      SECRET,
      slack.commandBody('backup myVM now'),
      'application/x-www-form-urlencoded',
      { forge: true },
    );
    expect(forged.status).toBe(401);
    const old = await sendSigned(
      events(),
      SECRET,
      slack.commandBody('backup myVM now'),
      'application/x-www-form-urlencoded',
      {
        timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
      },
    );
    expect(old.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.calls.slice(before).filter((c) => c.method !== 'auth.test')).toHaveLength(0);
    expect(bot.sandbox!.world.jobs.length).toBe(jobs);
  });

  it('posts the placeholder and the answer when chat.postMessage is rate limited (the channel waits out Retry-After)', async () => {
    const before = slack.calls.length;
    // The client rejects 429s at once (rejectRateLimitedCalls): the channel itself retries the post.
    slack.throttleNext(2);
    // A mention has no response_url: its placeholder is posted, and its answer replaces it.
    await sendSigned(
      events(),
      SECRET,
      mentionEventBody(`Ev-throttled-${before}`, 'list vms'),
      'application/json',
    );
    await until('the placeholder despite ratelimited', () =>
      slack.calls
        .slice(before)
        .find((c) => c.method === 'chat.postMessage' && /Working on it/.test(blocksOf(c))),
    );
    await until('the answer in its place', () =>
      slack.calls.slice(before).find((c) => c.method === 'chat.update' && c.args.channel === 'C0OPS'),
    );
  });

  it('delivers the final state when chat.update is rate limited', async () => {
    const before = slack.calls.length;
    await sendSigned(
      events(),
      SECRET,
      slack.commandBody('backup myVM now'),
      'application/x-www-form-urlencoded',
    );
    const first = await until('the job message', () =>
      slack.calls
        .slice(before)
        .find((c) => c.method === 'chat.postMessage' && /Take Snapshot/.test(blocksOf(c))),
    );
    slack.throttleNext(2);
    bot.sandbox!.clock.advance(60 * 60_000);
    await until('the final state despite ratelimited', () =>
      slack.calls.find(
        (c) => c.method === 'chat.update' && c.args.ts === first.ts && /✅ Completed/.test(blocksOf(c)),
      ),
    );
  });
});

describe('Slack channel in Enterprise Grid (an org-wide app)', () => {
  const GRID = { enterprise_id: 'E0GRID', enterprise_name: 'Grid', is_enterprise_install: 'true' };

  /** A slash command from `user` in workspace `team` of the Grid organisation. */
  const gridCommand = (text: string, user: string, team: string) => {
    const body = new URLSearchParams(slack.commandBody(text, user));
    body.set('team_id', team);
    for (const [k, v] of Object.entries(GRID)) body.set(k, v);
    return sendSigned(events(), SECRET, body.toString(), 'application/x-www-form-urlencoded');
  };

  /** Who acts in an interaction payload of an org-wide install (`team` may be null). */
  const gridActor = (user: string, team: string, teamObject: boolean) => ({
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: team },
    team: teamObject
      ? { id: team, domain: team.toLowerCase(), enterprise_id: 'E0GRID', enterprise_name: 'Grid' }
      : null,
    enterprise: { id: 'E0GRID', name: 'Grid' },
    is_enterprise_install: true,
  });

  /** Asks for a destructive action with a slash command and returns its request message. */
  async function requestDeletion(
    group: string,
    user: string,
    team: string,
  ): Promise<{ ts: string; approvalId: string; group: string }> {
    bot.sandbox!.world.resourceGroups.set(group, { name: group, location: 'eastus' });
    const before = slack.calls.length;
    await gridCommand(`delete resource group ${group}`, user, team);
    const request = await until('the approval request', () =>
      slack.calls
        .slice(before)
        .find((c) => c.method === 'chat.postMessage' && /Approval needed/.test(blocksOf(c))),
    );
    return {
      group,
      ts: String(request.ts),
      approvalId: /\\"approvalId\\":\\"([0-9a-f]+)\\"/.exec(blocksOf(request))![1]!,
    };
  }

  /** Presses Approve (block action) and submits the typed name (view submission) as `user` of `team`. */
  async function approve(
    request: { ts: string; approvalId: string; group: string },
    user: string,
    team: string,
  ): Promise<number> {
    const before = slack.calls.length;
    await sendSigned(
      events(),
      SECRET,
      interaction({
        type: 'block_actions',
        ...gridActor(user, team, true),
        channel: { id: 'C0OPS' },
        message: { ts: request.ts },
        trigger_id: `trigger-${user}`,
        api_app_id: 'A0FAKE',
        actions: [
          {
            type: 'button',
            action_id: 'approval.approve#0',
            block_id: 'b1',
            value: JSON.stringify({ approvalId: request.approvalId }),
            action_ts: '1',
          },
        ],
      }),
      'application/x-www-form-urlencoded',
    );
    const open = await until('views.open', () =>
      slack.calls.slice(before).find((c) => c.method === 'views.open'),
    );
    const view = open.args.view as { callback_id: string; private_metadata: string };
    const r = await sendSigned(
      events(),
      SECRET,
      interaction({
        type: 'view_submission',
        ...gridActor(user, team, false),
        api_app_id: 'A0FAKE',
        view: {
          id: 'V0FAKE',
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: { values: { confirm: { name: { type: 'plain_text_input', value: request.group } } } },
        },
      }),
      'application/x-www-form-urlencoded',
    );
    return r.status;
  }

  it('counts one person in two workspaces of the organisation as one: no approving their own request', async () => {
    const request = await requestDeletion('rg-grid-1', 'UERIN', 'T0FAKE');
    const before = slack.calls.length;
    // Erin is an approver in the other workspace: still the same person who asked.
    expect(await approve(request, 'UERIN', 'T0OTHER')).toBe(200);
    await until('the refusal', () =>
      slack.calls
        .slice(before)
        .find((c) => c.method === 'chat.postMessage' && /someone else must decide/.test(blocksOf(c))),
    );
    expect(slack.calls.slice(before).some((c) => /Approved and done/.test(blocksOf(c)))).toBe(false);
    expect(bot.sandbox!.world.resourceGroups.has('rg-grid-1')).toBe(true);
  });

  it('finds the roles of a user listed by organisation from any workspace', async () => {
    const request = await requestDeletion('rg-grid-2', 'UERIN', 'T0FAKE');
    const before = slack.calls.length;
    expect(await approve(request, 'UDAVE', 'T0OTHER')).toBe(200);
    await until('the executed request', () =>
      slack.calls
        .slice(before)
        .find(
          (c) =>
            c.method === 'chat.update' && c.args.ts === request.ts && /Approved and done/.test(blocksOf(c)),
        ),
    );
    expect(bot.sandbox!.world.resourceGroups.has('rg-grid-2')).toBe(false);
  });
});

describe('Slack channel with its chat.update window full', () => {
  let small: RunningBot;
  let api: FakeSlackApi;

  beforeAll(async () => {
    api = await startFakeSlackApi();
    small = await startBot(
      loadConfig({
        PORT: '0',
        DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'slack-full-')), 'bot.db'),
        SANDBOX_CLOCK_SPEED: '0',
        ROLE_OPERATORS: OPERATOR,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: api.url,
        // Two updates a minute: two answers in place fill the window for a minute.
        SLACK_UPDATES_PER_MINUTE: '2',
      }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await small?.stop();
    await api?.close();
  });

  const mention = (eventId: string, text: string) =>
    sendSigned(`${small.url}/slack/events`, SECRET, mentionEventBody(eventId, text), 'application/json');
  const placeholderOf = (text: string) => (c: SlackCall) =>
    c.method === 'chat.postMessage' && /Working on it/.test(blocksOf(c)) && blocksOf(c).includes(text);

  it("answers a mention in a new message when the window has no room within a second, leaving its placeholder's update for later", async () => {
    await mention('Ev-full-1', 'list vms');
    await until('the first answer in place', () =>
      api.calls.find((c) => c.method === 'chat.update' && /db-eastus-01/.test(blocksOf(c))),
    );
    await mention('Ev-full-2', 'policies');
    await until('the second answer in place', () =>
      api.calls.find((c) => c.method === 'chat.update' && /EnhancedPolicy/.test(blocksOf(c))),
    );
    const before = api.calls.length;
    await mention('Ev-full-3', 'list vaults');
    const placeholder = await until('the third placeholder', () =>
      api.calls.slice(before).find(placeholderOf('list vaults')),
    );
    const answer = await until('the third answer, a new message', () =>
      api.calls
        .slice(before)
        .find(
          (c) => c.method === 'chat.postMessage' && c !== placeholder && !/Working on it/.test(blocksOf(c)),
        ),
    );
    expect(answer.args.channel).toBe('C0OPS');
    expect(answer.ts).not.toBe(placeholder.ts);
    // The window is still full: the placeholder's retirement ("Answered below") waits, at progress
    // priority, behind any answer; it has not taken the window's next room yet.
    expect(api.calls.filter((c) => c.method === 'chat.update' && c.args.ts === placeholder.ts)).toEqual([]);
    expect(api.calls.filter((c) => c.method === 'chat.update')).toHaveLength(2);
  });
});
