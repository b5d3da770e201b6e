import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import { startFakeBotConnector } from '../fakes/fake-bot-connector.js';
import type { FakeSlackApi, SlackCall } from '../fakes/fake-slack-api.js';
import {
  mentionEventBody,
  sendSigned,
  slashCommandBody,
  startFakeSlackApi,
} from '../fakes/fake-slack-api.js';
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

/** The last update each Slack message and each Teams card received, keyed by the VM it shows. */
function lastUpdateByVm(vms: string[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const c of slack.calls)
    if (c.method === 'chat.update') last.set(`slack:${String(c.args.ts)}`, blocksOf(c));
  for (const c of connector.calls) if (c.method === 'PUT') last.set(`teams:${c.activityId}`, cardOf(c));
  const byVm = new Map<string, string>();
  for (const text of last.values()) {
    const vm = vms.find((v) => new RegExp(`\\b${v}\\b`).test(text));
    if (vm) byVm.set(vm, text);
  }
  return byVm;
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
      SANDBOX_SEED: '7',
      // The product's retry count (5); short pauses so the test stays quick.
      AZURE_RETRY_DELAY_MS: '20',
      AZURE_MAX_RETRY_DELAY_MS: '200',
      AZURE_OPERATION_POLL_MS: '50',
      ROLE_OPERATORS: `${SLACK_OPERATOR},${TEAMS_OPERATOR}`,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      TEAMS_LOCAL_ONLY: 'true',
    }),
    silentLogger,
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
              slashCommandBody(`backup ${vm} now`),
              'application/x-www-form-urlencoded',
            ).then((r) => r.status)
          : postTeams(teamsMessage(`res-msg-${i}`, `backup ${vm} now`)),
      ),
    );
    expect(sent).toEqual(vms.map(() => 200));
    // Every command reaches Azure once and its card shows the job taking its snapshot.
    await until(
      'every card showing its job',
      () => {
        const last = lastUpdateByVm(vms);
        return vms.every((vm) => /Take Snapshot/.test(last.get(vm) ?? '')) ? true : undefined;
      },
      30_000,
    );
    sandbox.clock.advance(9 * 60_000);
    await until(
      'every card showing the transfer',
      () => {
        const last = lastUpdateByVm(vms);
        return vms.every((vm) => /took 9 min|took 8 min/.test(last.get(vm) ?? '')) ? true : undefined;
      },
      30_000,
    );
    sandbox.clock.advance(40 * 60_000);
    const final = await until(
      'every card showing its final state',
      () => {
        const last = lastUpdateByVm(vms);
        return vms.every((vm) => /✅ Completed/.test(last.get(vm) ?? '')) ? last : undefined;
      },
      40_000,
    );
    expect(final.size).toBe(vms.length);
    // The faults did happen, on every side.
    expect(sandbox.faults.stats().throttled).toBeGreaterThan(20);
    expect(sandbox.faults.stats().serverErrors).toBeGreaterThan(5);
    expect(slack.faultCounts.throttled + slack.faultCounts.serverErrors).toBeGreaterThan(0);
    expect(connector.faultCounts.throttled + connector.faultCounts.serverErrors).toBeGreaterThan(0);
    // One accepted trigger and one backup job per VM, whatever was retried.
    const triggers = acceptedTriggers(sandbox);
    const jobs = startedBackups(sandbox);
    for (const vm of vms) {
      expect(triggers.get(vm), vm).toBe(1);
      expect(jobs.get(vm), vm).toBe(1);
    }
    slack.setFaults(undefined);
    connector.setFaults(undefined);
  }, 60_000);

  it('starts one backup when Slack delivers the same event twice (X-Slack-Retry-Num)', async () => {
    const [vm] = addProtectedVms(sandbox, 'slackretry', 1);
    const body = mentionEventBody('Ev0RESILIENCE1', `backup ${vm} now`);
    const first = await sendSigned(`${bot.url}/slack/events`, SECRET, body, 'application/json');
    expect(first.status).toBe(200);
    // Slack resends after 3 s without an ack; here the redelivery comes while the first still runs.
    const again = await sendSigned(`${bot.url}/slack/events`, SECRET, body, 'application/json', {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(again.status).toBe(200);
    await until('the job card', () =>
      slack.calls.find(
        (c) => c.method === 'chat.update' && blocksOf(c).includes(vm!) && /Take Snapshot/.test(blocksOf(c)),
      ),
    );
    // A third delivery once the first is done changes nothing either.
    await sendSigned(`${bot.url}/slack/events`, SECRET, body, 'application/json', {
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' },
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const placeholders = slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && blocksOf(c).includes(`backup ${vm} now`),
    );
    expect(placeholders).toHaveLength(1);
    expect(acceptedTriggers(sandbox).get(vm!)).toBe(1);
    expect(startedBackups(sandbox).get(vm!)).toBe(1);
  }, 30_000);

  it('starts one backup when Teams delivers the same activity twice', async () => {
    const [vm] = addProtectedVms(sandbox, 'teamsretry', 1);
    const activity = teamsMessage('teams-dup-1', `backup ${vm} now`);
    const [a, b] = await Promise.all([postTeams(activity), postTeams(activity)]);
    expect([a, b]).toEqual([200, 200]);
    await until('the job card', () =>
      connector.calls.find(
        (c) => c.method === 'PUT' && cardOf(c).includes(vm!) && /Take Snapshot/.test(cardOf(c)),
      ),
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
    await until('the other conversation’s job', () =>
      startedBackups(sandbox).get(other!) ? true : undefined,
    );
  }, 30_000);
});
