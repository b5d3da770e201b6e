import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetVm } from '../../src/sandbox/fleet.js';
import type { FakeSlackApi, SlackCall } from '../fakes/fake-slack-api.js';
import { sendSigned, slackEnvFor, startFakeSlackApi } from '../fakes/fake-slack-api.js';
import type { BotProcess } from '../support/bot-process.js';
import { startBotProcess } from '../support/bot-process.js';
import { WORK_CONCURRENCY } from '../../src/conversation/work-queue.js';
import { jobsPerVm } from '../support/fleet-checks.js';
import type { SandboxProcess } from '../support/sandbox-process.js';
import { startSandboxProcess } from '../support/sandbox-process.js';
import { until } from '../support/until.js';

/**
 * `kill -9` of the bot while it is still working on typed commands (slash commands: their "Working
 * on it…" was in the ack): some still wait for a slot, some backups have been accepted by Azure
 * and some not. The restarted bot must answer every acknowledged command — a backup that started gets
 * its card and is watched to the end, a read is run again, anything else says it was interrupted —
 * and start nothing twice.
 */
const SECRET = 'slack-signing-secret-for-interrupted';
const BACKUPS = 10;

let sandbox: SandboxProcess;
let slack: FakeSlackApi;
let bot: BotProcess;

const blocksOf = (c: SlackCall): string => JSON.stringify(c.args.blocks ?? []);

describe('commands interrupted by kill -9', () => {
  let fleet: FleetVm[];
  let env: Record<string, string>;

  beforeAll(async () => {
    // Slow ARM answers keep each command in flight for seconds.
    sandbox = await startSandboxProcess({ SANDBOX_LATENCY_MS: '400', SANDBOX_REQUEST_BUDGET: 'off' });
    fleet = (
      await sandbox.control<{ vms: FleetVm[] }>('POST', `/_sandbox/fleet?prefix=intr&vms=${BACKUPS}&vaults=1`)
    ).vms;
    slack = await startFakeSlackApi();
    env = {
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'interrupted-')), 'bot.db'),
      SANDBOX_URL: sandbox.url,
      SANDBOX_CA_FILE: sandbox.caFile,
      WATCH_INTERVAL_MS: '200',
      WATCH_LEASE_MS: '2000',
      ...slackEnvFor(slack, SECRET),
      ROLE_OPERATORS: 'T0FAKE:UALICE',
    };
    bot = await startBotProcess(env);
  }); // the timing project's hook timeout: starting processes on a loaded machine

  afterAll(async () => {
    await bot?.stop();
    await sandbox?.stop();
    await slack?.close();
  });

  it('answers every acknowledged command after the restart, watches what started, and runs nothing twice', async () => {
    const { resourceGroup, vault } = fleet[0]!;
    // More commands than the channel works on at once: some still wait, with no placeholder yet.
    const commands = [
      ...fleet.map((f) => ({ text: `backup ${f.vm} now in vault ${resourceGroup}/${vault}`, marker: f.vm })),
      { text: `status of jobs for ${fleet[0]!.vm}`, marker: 'Backup jobs · ' },
      { text: 'create vault rsv-interrupted in eastus', marker: 'rsv-interrupted' },
    ];
    expect(commands.length).toBeGreaterThan(WORK_CONCURRENCY);
    const responseUrls = new Map<string, string>();
    for (const { text } of commands) {
      const body = slack.commandBody(text);
      responseUrls.set(text, new URL(new URLSearchParams(body).get('response_url')!).pathname);
      const r = await sendSigned(
        `${bot.url}/slack/events`,
        SECRET,
        body,
        'application/x-www-form-urlencoded',
      );
      expect(r.status).toBe(200);
    }
    // Killed once Azure has accepted a first backup: the others are somewhere on their way.
    await until(
      'a first backup accepted',
      async () =>
        [...(await jobsPerVm(sandbox, fleet)).keys()].some((k) => k.endsWith('|Backup')) ? true : undefined,
      20_000,
    );
    bot.child.kill('SIGKILL');
    await new Promise((r) => bot.child.once('exit', r));
    /**
     * The last thing shown for a command: on its response_url, or on a message of its own (a job
     * card, posted and then updated). `intr-1` must not match `intr-10`.
     */
    const answerOf = ({ text, marker }: { text: string; marker: string }): string | undefined => {
      const mine = new RegExp(`${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9])`);
      const posted = slack.calls.filter((c) => c.method === 'chat.postMessage' && mine.test(blocksOf(c)));
      const shown = [
        ...slack.calls.filter((c) => c.method === 'response_url' && c.responseUrl === responseUrls.get(text)),
        ...posted,
        ...slack.calls.filter((c) => c.method === 'chat.update' && posted.some((p) => p.ts === c.args.ts)),
      ].sort((a, b) => slack.calls.indexOf(a) - slack.calls.indexOf(b));
      return shown.length > 0 ? blocksOf(shown.at(-1)!) : undefined;
    };
    const answeredBeforeKill = commands.filter((c) => answerOf(c) !== undefined).length;
    expect(answeredBeforeKill).toBeLessThan(commands.length);

    bot = await startBotProcess(env);
    await until(
      'an answer to every command',
      () => (commands.every((c) => answerOf(c) !== undefined) ? true : undefined),
      40_000,
    );

    const jobs = await jobsPerVm(sandbox, fleet);
    for (const [i, f] of fleet.entries()) {
      const started = jobs.get(`${f.vm}|Backup`) ?? 0;
      expect(started, f.vm).toBeLessThanOrEqual(1);
      // A backup Azure accepted is on its card; one it never saw says so.
      const card = answerOf(commands[i]!)!;
      expect(card, f.vm).toMatch(started === 1 ? /Take Snapshot/ : /Interrupted/);
    }
    expect(answerOf(commands.at(-2)!)).toMatch(/Backup jobs · /);
    expect(answerOf(commands.at(-1)!)).toMatch(/Interrupted|rsv-interrupted/);
    const recovered = bot.logs.join('\n').match(/interrupted command answered/g) ?? [];
    expect(recovered.length).toBeGreaterThanOrEqual(commands.length - answeredBeforeKill - 1);

    // The recovered cards are watched: they reach the end of the job.
    await bot.advanceClock(60);
    await until(
      'every started backup completed on its card',
      () =>
        fleet.every(
          (f, i) => (jobs.get(`${f.vm}|Backup`) ?? 0) === 0 || /Completed/.test(answerOf(commands[i]!) ?? ''),
        )
          ? true
          : undefined,
      30_000,
    );
    const after = await jobsPerVm(sandbox, fleet);
    for (const f of fleet) expect(after.get(`${f.vm}|Backup`) ?? 0, f.vm).toBeLessThanOrEqual(1);
  }, 120_000);
});
