import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { FleetVm } from '../../src/sandbox/fleet.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { mentionEventBody, sendSigned, slackEnvFor, startFakeSlackApi } from '../fakes/fake-slack-api.js';
import type { BotProcess } from '../support/bot-process.js';
import { startBotProcess } from '../support/bot-process.js';
import {
  approvalIdsByTarget,
  cardStage,
  inBatches,
  jobsPerVm,
  slackCardStages,
} from '../support/fleet-checks.js';
import { createTestDatabase, testPostgresUrl } from '../support/postgres.js';
import type { SandboxProcess } from '../support/sandbox-process.js';
import { controlCall, startSandboxProcess } from '../support/sandbox-process.js';
import { until } from '../support/until.js';

/**
 * Issue 7, several replicas: two bot processes on one PostgreSQL database and one sandbox (in a
 * process of its own), behind the same Slack app. 200 backups in 4 vaults are asked for through
 * both; the vaults are shared out by lease, each card gets each phase exactly once, and when one
 * replica is killed (SIGKILL) the other takes its vaults over and brings every card to its end.
 */
const pgServer = testPostgresUrl();
const SECRET = 'slack-signing-secret-for-replicas';
const JOBS = 200;
const VAULTS = 4;

let sandbox: SandboxProcess;
let slack: FakeSlackApi;
let databaseUrl: string;
const bots: BotProcess[] = [];

async function leaseHolders(): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query<{ vault_key: string; holder: string }>(
      'SELECT vault_key, holder FROM vault_leases',
    );
    return new Map(r.rows.map((row) => [row.vault_key, row.holder]));
  } finally {
    await client.end();
  }
}

const TOKEN: Record<string, string> = {
  'replica-a': 'xoxb-test-token-replica-a',
  'replica-b': 'xoxb-test-token-replica-b',
};

/**
 * Waits last as long as the replicas keep moving (a Slack call made, a lease or job changing hands
 * shows as calls), and fail once nothing has moved for 30 s: a loaded machine is slow, not stuck.
 */
const moving = { timeoutMs: 30_000, maxMs: 300_000, progress: () => slack.calls.length };

/**
 * One job card's views (the post that answered its slash command, then its updates), in the order
 * Slack received them: stage, sender (token) and time.
 */
function cardUpdates(vm: string): { stage: string; token?: string; at: number }[] {
  return slack.calls
    .filter(
      (c) =>
        (c.method === 'chat.update' || c.method === 'chat.postMessage') &&
        JSON.stringify(c.args.blocks ?? []).includes(`Backup job · ${vm}"`),
    )
    .map((c) => ({ stage: cardStage(JSON.stringify(c.args.blocks)), token: c.token, at: c.at }));
}

/** For a failure report: how many cards are at each stage, and the first few behind. */
function seenCards(): string {
  const byStage = new Map<string, string[]>();
  for (const [vm, s] of slackCardStages(slack))
    byStage.set(s.at(-1)!, [...(byStage.get(s.at(-1)!) ?? []), vm]);
  return [...byStage]
    .map(([stage, vms]) => `${stage}: ${vms.length} (${vms.slice(0, 5).join(', ')})`)
    .join('\n');
}

describe.runIf(pgServer)('two replicas on PostgreSQL', () => {
  let fleet: FleetVm[];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase(pgServer!, 'replicas');
    // 200 backups at once need about 2,000 Recovery Services requests: far more than Azure's
    // per-subscription budget (about 300). This test is about replicas, so the budget is raised;
    // throttling has its own tests.
    sandbox = await startSandboxProcess({ SANDBOX_REQUEST_BUDGET: '100000/10000' });
    fleet = (
      await sandbox.control<{ vms: FleetVm[] }>(
        'POST',
        `/_sandbox/fleet?prefix=rep&vms=${JOBS}&vaults=${VAULTS}`,
      )
    ).vms;
    slack = await startFakeSlackApi();
    for (const replica of ['replica-a', 'replica-b'] as const) {
      bots.push(
        await startBotProcess({
          DATABASE_URL: databaseUrl,
          SANDBOX_URL: sandbox.url,
          SANDBOX_CA_FILE: sandbox.caFile,
          REPLICA_ID: replica,
          // Long enough that a live replica on a loaded machine is not taken for dead: with 2 s, a
          // replica whose event loop stalled that long (two CPU hogs beside the suite do that)
          // had its open command's record lapse, and the other replica answered that command a
          // second time (stress run, card rep-13). The product's default is at least 30 s.
          WATCH_LEASE_MS: '10000',
          WATCH_INTERVAL_MS: '200',
          ...slackEnvFor(slack, SECRET),
          // Each replica its own token, so the fake Slack tells which one sent an update.
          SLACK_BOT_TOKEN: TOKEN[replica]!,
          ROLE_OPERATORS: 'T0FAKE:UALICE',
          ROLE_APPROVERS: 'T0FAKE:UBOB',
        }),
      );
    }
  }, 400_000); // a sandbox and two bots, each up to PROCESS_START_MS on a loaded machine

  afterAll(async () => {
    for (const b of bots) await b.stop();
    await sandbox?.stop();
    await slack?.close();
  });

  it('decides on one replica what was asked on the other, once, and drops a redelivery that reaches the other', async () => {
    const [doomed] = (
      await sandbox.control<{ vms: FleetVm[] }>('POST', '/_sandbox/fleet?prefix=rdoomed&vms=1')
    ).vms;
    const vm = doomed!.vm;
    const [a, b] = bots as [BotProcess, BotProcess];
    const say = (bot: BotProcess, text: string, user = 'UALICE') =>
      sendSigned(
        `${bot.url}/slack/events`,
        SECRET,
        slack.commandBody(text, user),
        'application/x-www-form-urlencoded',
      );
    expect((await say(a, `stop backup for ${vm} and delete data`)).status).toBe(200);
    const id = (await until('the approval card', () => approvalIdsByTarget(slack, [vm]).get(vm), moving))!;
    // Bob approves on both replicas at once: the action runs once.
    await Promise.all([say(a, `approve ${id} ${vm}`, 'UBOB'), say(b, `approve ${id} ${vm}`, 'UBOB')]);
    const deletes = async () => (await jobsPerVm(sandbox, [doomed!])).get(`${vm}|DeleteBackupData`) ?? 0;
    await until('the deletion job', async () => ((await deletes()) > 0 ? true : undefined), moving);
    await until(
      'the request card showing the outcome',
      () =>
        slack.calls.find(
          (c) => c.method === 'chat.update' && /Approved and done/.test(JSON.stringify(c.args.blocks)),
        ),
      moving,
    );
    expect(await deletes()).toBe(1);

    // Slack retries an event whose ack it missed; the retry reaches the other replica.
    const event = mentionEventBody('Ev0REPLICAS1', 'status of jobs');
    expect((await sendSigned(`${a.url}/slack/events`, SECRET, event, 'application/json')).status).toBe(200);
    // A retry is signed anew (a later timestamp): the same signature twice would be a replay.
    const retry = await sendSigned(`${b.url}/slack/events`, SECRET, event, 'application/json', {
      timestamp: Math.floor(Date.now() / 1000) + 1,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    // Wait for the events, not for a while: one replica answers, the other says it dropped its
    // copy (whichever saw the event id second; usually B, but under load A may be the later one).
    const answers = () =>
      slack.calls.filter(
        (c) =>
          c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? []).includes('status of jobs'),
      );
    await until('the answer to the event', () => (answers().length > 0 ? true : undefined), moving);
    await until(
      'a replica dropping the redelivered event',
      () =>
        bots.some((bot) =>
          bot.logs.some((l) => l.includes('slack redelivery ignored') && l.includes('Ev0REPLICAS1')),
        )
          ? true
          : undefined,
      moving,
    );
    const answered = slack.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? []).includes('status of jobs'),
    );
    expect(answered).toHaveLength(1);
  }, 300_000);

  it('shares 200 jobs without a double update, and loses none when one replica is killed', async () => {
    // Half the commands reach each replica, as behind a load balancer.
    await inBatches(
      fleet.map((f, i) => ({ ...f, bot: bots[i % 2]! })),
      20,
      async (f) => {
        const r = await sendSigned(
          `${f.bot.url}/slack/events`,
          SECRET,
          slack.commandBody(`backup ${f.vm} now in vault ${f.resourceGroup}/${f.vault}`),
          'application/x-www-form-urlencoded',
        );
        expect(r.status).toBe(200);
      },
    );
    await until(
      'every card showing its snapshot',
      () => (slackCardStages(slack).size === JOBS ? true : undefined),
      { ...moving, seen: seenCards },
    );
    // Both replicas poll: each holds a share of the vaults, none holds a vault twice.
    let holders = await leaseHolders();
    for (let i = 0; i < 50 && new Set(holders.values()).size < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      holders = await leaseHolders();
    }
    expect(holders.size).toBe(VAULTS);
    expect(new Set(holders.values())).toEqual(new Set(['replica-a', 'replica-b']));

    await controlCall(`${sandbox.url}/_sandbox/clock/advance?ms=${9 * 60_000}`);
    await until(
      'every card showing the transfer',
      () => ([...slackCardStages(slack).values()].every((s) => s.at(-1) === 'transfer') ? true : undefined),
      { ...moving, seen: seenCards },
    );
    // Replica A dies without a word; B takes its vaults once A's leases expire.
    bots[0]!.child.kill('SIGKILL');
    const killedAt = Date.now();
    await controlCall(`${sandbox.url}/_sandbox/clock/advance?ms=${40 * 60_000}`);
    await until(
      'every card showing its final state',
      () => ([...slackCardStages(slack).values()].every((s) => s.at(-1) === 'completed') ? true : undefined),
      { ...moving, seen: seenCards },
    );
    // Each card: the answer, the transfer, the end — each exactly once, whichever replica sent it.
    // One repeat is allowed, and only one kind: delivery is at least once (docs/architecture.md),
    // so A killed between sending an update and recording it leaves that update for B to send
    // again — its first copy from A before the kill, the second from B after it. (Here the kill
    // comes once every card shows its transfer and B takes over after the clock has moved to the
    // end, so in practice B's first update is the final one.) Any other repeat — two live replicas
    // sending the same update — fails, with each update's sender and time.
    const stages = slackCardStages(slack);
    expect(stages.size).toBe(JOBS);
    for (const vm of stages.keys()) {
      const updates = cardUpdates(vm);
      const kept = updates.filter((u, i) => {
        const before = updates[i - 1];
        const resentAfterKill =
          before?.stage === u.stage &&
          before.token === TOKEN['replica-a'] &&
          before.at <= killedAt &&
          u.token === TOKEN['replica-b'] &&
          u.at >= killedAt;
        return !resentAfterKill;
      });
      expect(
        kept.map((u) => u.stage),
        `${vm}: ${updates.map((u) => `${u.stage} from ${u.token} at ${u.at - killedAt} ms from the kill`).join('; ')}`,
      ).toEqual(['snapshot', 'transfer', 'completed']);
    }
    expect(new Set((await leaseHolders()).values())).toEqual(new Set(['replica-b']));
    // And one backup per VM, however the work moved.
    const jobs = await jobsPerVm(sandbox, fleet);
    for (const f of fleet) expect(jobs.get(`${f.vm}|Backup`), f.vm).toBe(1);
    // The replicas logged as JSON, and none of the secrets they were given.
    for (const b of bots) {
      const logs = b.logs.join('\n');
      expect(logs).toContain('"msg":"started"');
      for (const secret of [SECRET, 'xoxb-test-token', databaseUrl]) expect(logs).not.toContain(secret);
    }
  }, 900_000);
});
