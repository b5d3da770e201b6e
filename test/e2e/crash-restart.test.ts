import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetVm } from '../../src/sandbox/fleet.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { sendSigned, slackEnvFor, startFakeSlackApi } from '../fakes/fake-slack-api.js';
import type { BotProcess } from '../support/bot-process.js';
import { startBotProcess } from '../support/bot-process.js';
import { approvalIdsByTarget, inBatches, jobsPerVm, slackCardStages } from '../support/fleet-checks.js';
import type { SandboxProcess } from '../support/sandbox-process.js';
import { startSandboxProcess } from '../support/sandbox-process.js';
import { until } from '../support/until.js';

/**
 * Issue 7: `kill -9` of the bot while it watches 100 backups and holds pending approvals. The
 * sandbox runs in a process of its own (Azure does not die with the bot); the bot's state is its
 * SQLite file. After the restart every card reaches its end with each phase shown once, no backup
 * starts twice, and the pending requests can still be decided — each approved action runs once.
 */
const SECRET = 'slack-signing-secret-for-crash';
const JOBS = 100;

let sandbox: SandboxProcess;
let slack: FakeSlackApi;
let bot: BotProcess;
let dbPath: string;

function botEnv(): Record<string, string> {
  return {
    DATABASE_PATH: dbPath,
    SANDBOX_URL: sandbox.url,
    SANDBOX_CA_FILE: sandbox.caFile,
    WATCH_INTERVAL_MS: '200',
    ...slackEnvFor(slack, SECRET),
    ROLE_OPERATORS: 'T0FAKE:UALICE',
    ROLE_APPROVERS: 'T0FAKE:UBOB',
  };
}

function say(text: string, user = 'UALICE'): Promise<{ status: number }> {
  return sendSigned(
    `${bot.url}/slack/events`,
    SECRET,
    slack.commandBody(text, user),
    'application/x-www-form-urlencoded',
  );
}

/** Commands the bot has on record as not yet answered. */
function openCommands(): number {
  const db = new SQLite(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM open_commands').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('kill -9 during 100 watched jobs and pending approvals', () => {
  let backups: FleetVm[];
  let doomed: string[];

  beforeAll(async () => {
    sandbox = await startSandboxProcess({ SANDBOX_REQUEST_BUDGET: '100000/10000' });
    backups = (
      await sandbox.control<{ vms: FleetVm[] }>('POST', `/_sandbox/fleet?prefix=crash&vms=${JOBS}&vaults=2`)
    ).vms;
    doomed = (
      await sandbox.control<{ vms: FleetVm[] }>('POST', '/_sandbox/fleet?prefix=doomed&vms=4')
    ).vms.map((f) => f.vm);
    slack = await startFakeSlackApi();
    dbPath = join(mkdtempSync(join(tmpdir(), 'crash-')), 'bot.db');
    bot = await startBotProcess(botEnv());
  }); // the timing project's hook timeout: starting processes on a loaded machine

  afterAll(async () => {
    await bot?.stop();
    await sandbox?.stop();
    await slack?.close();
  });

  it('resumes every watch and approval after the restart, and runs nothing twice', async () => {
    await inBatches(backups, 20, async (f) => {
      expect((await say(`backup ${f.vm} now in vault ${f.resourceGroup}/${f.vault}`)).status).toBe(200);
    });
    for (const vm of doomed) expect((await say(`stop backup for ${vm} and delete data`)).status).toBe(200);
    await until(
      'every card showing its snapshot',
      () => (slackCardStages(slack).size === JOBS ? true : undefined),
      60_000,
    );
    const ids = await until('the approval cards', () => {
      const found = approvalIdsByTarget(slack, doomed);
      return found.size === doomed.length ? found : undefined;
    });

    // Every answer is on its card (killing the bot mid-answer is test/e2e/interrupted-commands).
    await until('every command answered', () => (openCommands() === 0 ? true : undefined));

    // The bot dies without a word; Azure goes on: the snapshots end while it is down.
    bot.child.kill('SIGKILL');
    await new Promise((r) => bot.child.once('exit', r));
    await sandbox.control('POST', `/_sandbox/clock/advance?ms=${9 * 60_000}`);
    bot = await startBotProcess(botEnv());

    await until(
      'every card showing the transfer',
      () => ([...slackCardStages(slack).values()].every((s) => s.at(-1) === 'transfer') ? true : undefined),
      60_000,
    );
    // The requests made before the crash are still open: two approved (one by a double command),
    // one rejected, one left open.
    const [a, b, c, d] = doomed as [string, string, string, string];
    await Promise.all([
      say(`approve ${ids.get(a)} ${a}`, 'UBOB'),
      say(`approve ${ids.get(a)} ${a}`, 'UBOB'),
      say(`approve ${ids.get(b)} ${b}`, 'UBOB'),
      say(`reject ${ids.get(c)}`, 'UBOB'),
    ]);
    await sandbox.control('POST', `/_sandbox/clock/advance?ms=${40 * 60_000}`);
    await until(
      'every card showing its final state',
      () => ([...slackCardStages(slack).values()].every((s) => s.at(-1) === 'completed') ? true : undefined),
      60_000,
    );
    const states = await until('the decisions carried out', () => {
      const db = new SQLite(dbPath, { readonly: true });
      try {
        const rows = db.prepare('SELECT target, state FROM approvals').all() as {
          target: string;
          state: string;
        }[];
        const byVm = new Map(rows.map((r) => [r.target, r.state]));
        return byVm.get(a) === 'executed' && byVm.get(b) === 'executed' ? byVm : undefined;
      } finally {
        db.close();
      }
    });
    expect(states.get(c)).toBe('rejected');
    expect(states.get(d)).toBe('requested');

    // Each card showed each phase once, across the crash.
    const stages = slackCardStages(slack);
    expect(stages.size).toBe(JOBS);
    for (const [vm, s] of stages) expect(s, vm).toEqual(['snapshot', 'transfer', 'completed']);
    // One backup per VM; backup data deleted once for each approved request, never for the others.
    const jobs = await jobsPerVm(sandbox, [
      ...backups,
      ...doomed.map((vm) => ({ vm, vault: 'rsv-westus', resourceGroup: 'rg-chatops' })),
    ]);
    for (const f of backups) expect(jobs.get(`${f.vm}|Backup`), f.vm).toBe(1);
    expect(jobs.get(`${a}|DeleteBackupData`)).toBe(1);
    expect(jobs.get(`${b}|DeleteBackupData`)).toBe(1);
    expect(jobs.get(`${c}|DeleteBackupData`)).toBeUndefined();
    expect(jobs.get(`${d}|DeleteBackupData`)).toBeUndefined();
  }, 240_000);
});
