import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createJsonLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import { startFakeBotConnector } from '../fakes/fake-bot-connector.js';
import type { FakeSlackApi, SlackCall } from '../fakes/fake-slack-api.js';
import { mentionEventBody, sendSigned, startFakeSlackApi } from '../fakes/fake-slack-api.js';
import { acceptedTriggers, addProtectedVms, startedBackups } from '../support/sandbox-fleet.js';
import { until } from '../support/until.js';

/**
 * Issue 7, resilience: the whole bot (real Bolt App and CloudAdapter behind the product's server,
 * real SDK clients) while the sandbox throttles 30 % of ARM requests, fails 10 % of the rest with
 * 5xx and adds latency, and the chat fakes answer 429 (Retry-After) or 5xx to a share of posts
 * and updates. Every backup's final state must reach its message, and none may start twice,
 * including when a platform delivers the same command twice.
 */
const SECRET = 'slack-signing-secret-for-resilience';
const SLACK_OPERATOR = 'T0FAKE:UALICE';
const TEAMS_OPERATOR = '6f1c0a52-6a5e-4d7f-9d7a-0d2b1c3e4f50';
const CHAT_FAULTS = { throttleRate: 0.2, serverErrorRate: 0.1, retryAfterSeconds: 1, seed: 11 };
const SANDBOX_SEED = '7';
/** The settings a failure report repeats, so a failing run can be replayed. */
const REPLAY = `sandbox seed ${SANDBOX_SEED} (30 % throttled, 10 % 5xx), chat faults ${JSON.stringify(CHAT_FAULTS)}`;
/** The bot's warnings and errors, for failure reports (info lines are only counted). */
const botLog: string[] = [];

let bot: RunningBot;
let sandbox: Sandbox;
let slack: FakeSlackApi;
let connector: FakeBotConnector;

const blocksOf = (c: SlackCall): string => JSON.stringify(c.args.blocks ?? []);
const cardOf = (c: { body: Record<string, unknown> }): string => JSON.stringify(c.body.attachments ?? []);

function teamsMessage(id: string, text: string, conversation = 'a:conv-res'): Record<string, unknown> {
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: '29:alice', name: 'Alice', aadObjectId: TEAMS_OPERATOR },
    conversation: { id: conversation, conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: '28:backup-bot', name: 'backup-bot' },
    text,
  };
}

async function postTeams(body: unknown): Promise<number> {
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

/** The last view each Slack message and each Teams card showed, keyed by the VM it shows. */
function lastUpdateByVm(vms: string[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const c of slack.calls) {
    // A slash command's job card is a new message, then updated by its ts.
    if (c.method === 'chat.postMessage' && c.ts) last.set(`slack:${c.ts}`, blocksOf(c));
    if (c.method === 'chat.update') last.set(`slack:${String(c.args.ts)}`, blocksOf(c));
  }
  for (const c of connector.calls) if (c.method === 'PUT') last.set(`teams:${c.activityId}`, cardOf(c));
  const byVm = new Map<string, string>();
  for (const text of last.values()) {
    const vm = vms.find((v) => new RegExp(`\\b${v}\\b`).test(text));
    if (vm) byVm.set(vm, text);
  }
  return byVm;
}

/** For the single-command tests: wait while the bot is still moving (see the first test). */
const moving = {
  timeoutMs: 30_000,
  maxMs: 120_000,
  progress: () => [slack.calls.length, connector.calls.length, sandbox.faults.stats().requests],
};

/** Everything that moves while the bot works on the VMs' commands and cards. */
function progressOf(vms: string[]): unknown {
  return [
    slack.calls.length,
    connector.calls.length,
    slack.faultCounts,
    connector.faultCounts,
    sandbox.world.jobs
      .filter((j) => vms.includes(j.vmName))
      .map((j) => `${j.tasks?.snapshot.status}|${j.tasks?.transfer.status}`),
    botLog.length,
  ];
}

/** Each VM's card (the last text it was sent) and job in the sandbox, the faults so far, the bot's warnings. */
function seenOf(vms: string[]): string {
  const last = lastUpdateByVm(vms);
  const texts = (card: string) => [...card.matchAll(/"text":"([^"]*)"/g)].map((m) => m[1]).join(' / ');
  const lines = vms.map((vm) => {
    const jobs = sandbox.world.jobs
      .filter((j) => j.vmName === vm)
      .map((j) => `${j.operation} snapshot ${j.tasks?.snapshot.status} transfer ${j.tasks?.transfer.status}`);
    return `${vm}: job ${jobs.join(', ') || 'none'}; card: ${texts(last.get(vm) ?? '').slice(0, 300) || 'no update'}`;
  });
  return [
    ...lines,
    `sandbox faults ${JSON.stringify(sandbox.faults.stats())}, Slack ${JSON.stringify(slack.faultCounts)}, Teams ${JSON.stringify(connector.faultCounts)}`,
    `replay: ${REPLAY}`,
    ...botLog.slice(-20),
  ].join('\n');
}

beforeAll(async () => {
  slack = await startFakeSlackApi();
  connector = await startFakeBotConnector();
  bot = await startBot(
    loadConfig({
      PORT: '0',
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'resilience-')), 'bot.db'),
      SANDBOX_CLOCK_SPEED: '0',
      WATCH_INTERVAL_MS: '100',
      SANDBOX_THROTTLE_RATE: '0.3',
      SANDBOX_SERVER_ERROR_RATE: '0.1',
      SANDBOX_LATENCY_MS: '15',
      SANDBOX_RETRY_AFTER_MS: '20',
      SANDBOX_SEED: SANDBOX_SEED,
      // Each request is refused with a probability of 0.37 (30 % throttled, then 10 % 5xx), drawn
      // from a seeded sequence in the order requests arrive. With the product's 5 retries a request
      // gives up with a probability of 0.37^6 ≈ 1/400, and which of the commands' 60-odd requests
      // draw the unlucky runs depends on how they interleave with the watcher's polling: on the
      // machine's speed. A loaded machine then saw one command answered "Azure is throttling
      // requests right now, even after retrying" — right, but never the job card this test waits
      // for. Giving up is the product's answer when Azure keeps refusing (test/azure); this test is
      // about every started backup reaching its card once, so 12 retries make giving up
      // (0.37^13 ≈ 1 in 400,000 per request) no part of its outcome. Short pauses keep it quick.
      AZURE_MAX_RETRIES: '12',
      AZURE_RETRY_DELAY_MS: '20',
      AZURE_MAX_RETRY_DELAY_MS: '200',
      AZURE_OPERATION_POLL_MS: '50',
      ROLE_OPERATORS: `${SLACK_OPERATOR},${TEAMS_OPERATOR}`,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      TEAMS_LOCAL_ONLY: 'true',
    }),
    createJsonLogger({
      write: (line: string) =>
        void (/"level":"info"/.test(line) && !/command refused/.test(line) ? 0 : botLog.push(line)),
    }),
  );
  sandbox = bot.sandbox!;
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await connector?.close();
});

describe('resilience under Azure and chat faults', () => {
  it('brings every backup to its final card and starts none twice', async () => {
    const vms = addProtectedVms(sandbox, 'res', 8);
    slack.setFaults(CHAT_FAULTS);
    connector.setFaults(CHAT_FAULTS);
    const sent = await Promise.all(
      vms.map((vm, i) =>
        i % 2 === 0
          ? sendSigned(
              `${bot.url}/slack/events`,
              SECRET,
              slack.commandBody(`backup ${vm} now`),
              'application/x-www-form-urlencoded',
            ).then((r) => r.status)
          : postTeams(teamsMessage(`res-msg-${i}`, `backup ${vm} now`)),
      ),
    );
    expect(sent).toEqual(vms.map(() => 200));
    // The waits below last as long as the bot keeps moving — a chat call, a fault met, a job
    // started or moved on — and fail once nothing has moved for 30 s: far longer than any pause the
    // product takes on purpose (Retry-After of 1 s, the Slack client's 4 s backoff, the updater's
    // 8 s, the watcher's 6.4 s after failed rounds), however slow the machine.
    const waitFor = (what: string, done: (last: Map<string, string>) => boolean) =>
      until(
        what,
        () => {
          const last = lastUpdateByVm(vms);
          return done(last) ? last : undefined;
        },
        { timeoutMs: 30_000, maxMs: 240_000, progress: () => progressOf(vms), seen: () => seenOf(vms) },
      );
    // Every command reaches Azure once and its card shows the job taking its snapshot.
    await waitFor('every card showing its job', (last) =>
      vms.every((vm) => /Take Snapshot/.test(last.get(vm) ?? '')),
    );
    sandbox.clock.advance(9 * 60_000);
    await waitFor('every card showing the transfer', (last) =>
      vms.every((vm) => /took 9 min|took 8 min/.test(last.get(vm) ?? '')),
    );
    sandbox.clock.advance(40 * 60_000);
    const final = await waitFor('every card showing its final state', (last) =>
      vms.every((vm) => /✅ Completed/.test(last.get(vm) ?? '')),
    );
    expect(final.size).toBe(vms.length);
    // The faults did happen, on every side. How many requests the bot made depends on how many
    // polling rounds fitted in the run — on the machine's speed — so the sandbox's faults are
    // checked as a share of its requests (seed 7 throttles 27–32 % of any first 100 or more, and
    // answers 5xx to the 59th), not as a count.
    const armFaults = sandbox.faults.stats();
    expect(armFaults.requests, REPLAY).toBeGreaterThan(100);
    expect(armFaults.throttled / armFaults.requests, REPLAY).toBeGreaterThan(0.25);
    expect(armFaults.serverErrors, REPLAY).toBeGreaterThan(0);
    expect(slack.faultCounts.throttled + slack.faultCounts.serverErrors).toBeGreaterThan(0);
    expect(connector.faultCounts.throttled + connector.faultCounts.serverErrors).toBeGreaterThan(0);
    // One accepted trigger and one backup job per VM, whatever was retried.
    const triggers = acceptedTriggers(sandbox);
    const jobs = startedBackups(sandbox);
    for (const vm of vms) {
      expect(triggers.get(vm), `${vm} (${REPLAY})`).toBe(1);
      expect(jobs.get(vm), `${vm} (${REPLAY})`).toBe(1);
    }
    slack.setFaults(undefined);
    connector.setFaults(undefined);
  }, 900_000);

  it('starts one backup when Slack delivers the same event twice (X-Slack-Retry-Num)', async () => {
    const [vm] = addProtectedVms(sandbox, 'slackretry', 1);
    const body = mentionEventBody('Ev0RESILIENCE1', `backup ${vm} now`);
    const first = await sendSigned(`${bot.url}/slack/events`, SECRET, body, 'application/json');
    expect(first.status).toBe(200);
    // Slack resends after 3 s without an ack; here the redelivery comes while the first still runs.
    // Each retry is signed anew (a later timestamp): the same signature twice would be a replay.
    const again = await sendSigned(`${bot.url}/slack/events`, SECRET, body, 'application/json', {
      timestamp: Math.floor(Date.now() / 1000) + 1,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(again.status).toBe(200);
    await until(
      'the job card',
      () =>
        slack.calls.find(
          (c) => c.method === 'chat.update' && blocksOf(c).includes(vm!) && /Take Snapshot/.test(blocksOf(c)),
        ),
      moving,
    );
    // A third delivery once the first is done changes nothing either.
    await sendSigned(`${bot.url}/slack/events`, SECRET, body, 'application/json', {
      timestamp: Math.floor(Date.now() / 1000) + 2,
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' },
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const placeholders = slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && blocksOf(c).includes(`backup ${vm} now`),
    );
    expect(placeholders).toHaveLength(1);
    expect(acceptedTriggers(sandbox).get(vm!)).toBe(1);
    expect(startedBackups(sandbox).get(vm!)).toBe(1);
  }, 300_000);

  it('starts one backup when Teams delivers the same activity twice', async () => {
    const [vm] = addProtectedVms(sandbox, 'teamsretry', 1);
    const activity = teamsMessage('teams-dup-1', `backup ${vm} now`);
    const [a, b] = await Promise.all([postTeams(activity), postTeams(activity)]);
    expect([a, b]).toEqual([200, 200]);
    await until(
      'the job card',
      () =>
        connector.calls.find(
          (c) => c.method === 'PUT' && cardOf(c).includes(vm!) && /Take Snapshot/.test(cardOf(c)),
        ),
      moving,
    );
    expect(await postTeams(activity)).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    const replies = connector.calls.filter((c) => c.method === 'POST' && c.activityId === 'teams-dup-1');
    expect(replies).toHaveLength(1);
    expect(acceptedTriggers(sandbox).get(vm!)).toBe(1);
    expect(startedBackups(sandbox).get(vm!)).toBe(1);
    // The same id in another conversation is another message.
    const [other] = addProtectedVms(sandbox, 'teamsother', 1);
    expect(await postTeams(teamsMessage('teams-dup-1', `backup ${other} now`, 'a:conv-other'))).toBe(200);
    await until(
      'the other conversation’s job',
      () => (startedBackups(sandbox).get(other!) ? true : undefined),
      moving,
    );
  }, 300_000);
});
