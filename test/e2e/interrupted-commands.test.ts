import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetVm } from '../../src/sandbox/fleet.js';
import type { FakeSlackApi, SlackCall } from '../fakes/fake-slack-api.js';
import { sendSigned, slackEnvFor, slashCommandBody, startFakeSlackApi } from '../fakes/fake-slack-api.js';
import type { BotProcess } from '../support/bot-process.js';
import { startBotProcess } from '../support/bot-process.js';
import { jobsPerVm } from '../support/fleet-checks.js';
import type { SandboxProcess } from '../support/sandbox-process.js';
import { startSandboxProcess } from '../support/sandbox-process.js';
import { until } from '../support/until.js';

/**
 * `kill -9` of the bot while it is still working on typed commands: their "Working on it…"
 * placeholders are up, some backups have been accepted by Azure and some not. The restarted bot
 * must answer every placeholder — a backup that started gets its card and is watched to the end,
 * a read is run again, anything else says it was interrupted — and start nothing twice.
 */
const SECRET = 'slack-signing-secret-for-interrupted';
const BACKUPS = 6;

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
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await sandbox?.stop();
    await slack?.close();
  });

  it('answers every placeholder after the restart, watches what started, and runs nothing twice', async () => {
    const { resourceGroup, vault } = fleet[0]!;
    const texts = [
      ...fleet.map((f) => `backup ${f.vm} now in vault ${resourceGroup}/${vault}`),
      `status of jobs for ${fleet[0]!.vm}`,
      'create vault rsv-interrupted in eastus',
    ];
    for (const text of texts) {
      const r = await sendSigned(
        `${bot.url}/slack/events`,
        SECRET,
        slashCommandBody(text),
        'application/x-www-form-urlencoded',
      );
      expect(r.status).toBe(200);
    }
    const placeholders = await until('every placeholder', () => {
      const posted = slack.calls.filter(
        (c) => c.method === 'chat.postMessage' && /Working on it/.test(blocksOf(c)),
      );
      return posted.length === texts.length ? posted : undefined;
    });
    // Killed once Azure has accepted a first backup: the others are somewhere on their way.
    await until(
      'a first backup accepted',
      async () =>
        [...(await jobsPerVm(sandbox, fleet)).keys()].some((k) => k.endsWith('|Backup')) ? true : undefined,
      20_000,
    );
    bot.child.kill('SIGKILL');
    await new Promise((r) => bot.child.once('exit', r));
    const answeredBeforeKill = new Set(
      slack.calls.filter((c) => c.method === 'chat.update').map((c) => String(c.args.ts)),
    );
    expect(answeredBeforeKill.size).toBeLessThan(texts.length);

    bot = await startBotProcess(env);
    const tsOf = (text: string): string => {
      const p = placeholders.find((c) => blocksOf(c).includes(text.slice(0, 40)));
      return String(p?.ts ?? '');
    };
    const lastUpdate = (ts: string): string | undefined => {
      const updates = slack.calls.filter((c) => c.method === 'chat.update' && String(c.args.ts) === ts);
      return updates.length > 0 ? blocksOf(updates.at(-1)!) : undefined;
    };
    await until(
      'an answer on every placeholder',
      () => (texts.every((t) => lastUpdate(tsOf(t)) !== undefined) ? true : undefined),
      30_000,
    );

    const jobs = await jobsPerVm(sandbox, fleet);
    for (const f of fleet) {
      const started = jobs.get(`${f.vm}|Backup`) ?? 0;
      expect(started, f.vm).toBeLessThanOrEqual(1);
      const card = lastUpdate(tsOf(`backup ${f.vm} now`))!;
      // A backup Azure accepted is on its card; one it never saw says so.
      if (started === 1) expect(card, f.vm).toMatch(/Take Snapshot/);
      else expect(card, f.vm).toMatch(/Interrupted/);
    }
    expect(lastUpdate(tsOf('status of jobs'))).toMatch(/Backup jobs · /);
    const vaultCard = lastUpdate(tsOf('create vault rsv-interrupted'))!;
    expect(vaultCard).toMatch(/Interrupted|rsv-interrupted/);
    expect(bot.logs.join('\n')).toMatch(/interrupted command answered/);

    // The recovered cards are watched: they reach the end of the job.
    await bot.advanceClock(60);
    await until(
      'every started backup completed on its card',
      () =>
        fleet.every(
          (f) =>
            (jobs.get(`${f.vm}|Backup`) ?? 0) === 0 ||
            /Completed/.test(lastUpdate(tsOf(`backup ${f.vm} now`)) ?? ''),
        )
          ? true
          : undefined,
      30_000,
    );
    const after = await jobsPerVm(sandbox, fleet);
    for (const f of fleet) expect(after.get(`${f.vm}|Backup`) ?? 0, f.vm).toBeLessThanOrEqual(1);
  }, 120_000);
});
