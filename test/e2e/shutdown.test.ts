import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi, SlackCall } from '../fakes/fake-slack-api.js';
import { mentionEventBody, sendSigned, slackEnvFor, startFakeSlackApi } from '../fakes/fake-slack-api.js';
import type { BotProcess } from '../support/bot-process.js';
import { startBotProcess } from '../support/bot-process.js';
import type { SandboxProcess } from '../support/sandbox-process.js';
import { startSandboxProcess } from '../support/sandbox-process.js';
import { until } from '../support/until.js';

/**
 * SIGTERM while the chat platform has stopped answering (its requests hang): the bot stops taking
 * work and exits within 10 s — container platforms allow 10 to 30 — instead of waiting on, or
 * retrying against, a platform that is gone. What it could not finish stays on record: the next
 * process answers the command and repaints the card, as after a crash. The sandbox runs in its own
 * process, so Azure outlives the bot.
 */
const SECRET = 'slack-signing-secret-for-shutdown';
const blocksOf = (c: SlackCall): string => JSON.stringify(c.args.blocks ?? []);

describe('stopping on SIGTERM', () => {
  let sandbox: SandboxProcess;
  let gone: FakeSlackApi;
  let back: FakeSlackApi;
  let first: BotProcess | undefined;
  let next: BotProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = await startSandboxProcess();
    gone = await startFakeSlackApi();
    back = await startFakeSlackApi();
    env = {
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'shutdown-')), 'bot.db'),
      SANDBOX_URL: sandbox.url,
      SANDBOX_CA_FILE: sandbox.caFile,
      WATCH_INTERVAL_MS: '200',
      WATCH_LEASE_MS: '1000',
      ...slackEnvFor(gone, SECRET),
      ROLE_OPERATORS: 'T0FAKE:UALICE',
    };
    first = await startBotProcess(env);
    // Two processes compiled by tsx as they start: minutes on a 2-core machine under heavy load.
  }, 300_000);

  afterAll(async () => {
    if (first && first.child.exitCode === null && first.child.signalCode === null)
      first.child.kill('SIGKILL');
    await next?.stop();
    await sandbox?.stop();
    await gone?.close();
    await back?.close();
  });

  const command = (bot: BotProcess, text: string) =>
    sendSigned(
      `${bot.url}/slack/events`,
      SECRET,
      gone.commandBody(text),
      'application/x-www-form-urlencoded',
    );
  // A mention has no response_url: its placeholder is a chat.postMessage, which hangs with Slack.
  const mention = (bot: BotProcess, text: string) =>
    sendSigned(`${bot.url}/slack/events`, SECRET, mentionEventBody(`Ev-${text}`, text), 'application/json');

  it('exits within 10 s while Slack hangs, and the next process answers what was left', async () => {
    const bot = first!;
    expect((await command(bot, 'backup myVM now')).status).toBe(200);
    // A slash command's job card is a new message (its ts is the card's id for the watcher).
    const card = await until('the job card', () =>
      gone.calls.find((c) => c.method === 'chat.postMessage' && /Take Snapshot/.test(blocksOf(c))),
    );
    // Slack goes away: the watcher's next update and a new command's placeholder hang.
    gone.stopAnswering();
    await bot.advanceClock(8);
    expect((await mention(bot, 'list vms')).status).toBe(200);
    await until('both requests hanging', () =>
      gone.held.includes('chat.update') && gone.held.includes('chat.postMessage') ? true : undefined,
    );

    const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
      const started = Date.now();
      bot.child.once('exit', (code) => resolve({ code, ms: Date.now() - started }));
    });
    bot.child.kill('SIGTERM');
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000).unref());
    const exit = await Promise.race([exited, timeout]);
    expect(exit, 'the bot was still running 15 s after SIGTERM').toBeDefined();
    expect(exit!.ms).toBeLessThan(10_000);
    expect(exit!.code).toBe(0);

    // Slack is back for the next process: it answers the command on record (no placeholder was
    // posted: a new message) and brings the job card up to date.
    next = await startBotProcess({ ...env, SLACK_API_URL: back.url });
    const answer = await until(
      'the VM list from the next process',
      () => back.calls.find((c) => c.method === 'chat.postMessage' && /db-eastus-01/.test(blocksOf(c))),
      20_000,
    );
    expect(answer.args.channel).toBe('C0OPS');
    await until(
      'the job card repainted',
      () =>
        back.calls.find(
          (c) => c.method === 'chat.update' && c.args.ts === card.ts && /took 8 min/.test(blocksOf(c)),
        ),
      20_000,
    );
    // Two bot starts, a stop of several seconds and a lease to lapse: more than the default timeout.
  }, 120_000);
});
