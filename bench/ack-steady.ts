/**
 * The `steady` scenario of `npm run bench:ack` (issue 15 point 4): 100 typed commands a minute in
 * one Slack workspace while 1,000 jobs are watched, on the product's real Tier 3 pacing
 * (SLACK_UPDATES_PER_MINUTE left at its default, about 50 a minute).
 *
 * Setup (not measured): the sandbox gets a fleet of 1,000 protected VMs; a first bot process, with
 * the update pacing raised so the setup takes a minute or two instead of twenty, is sent
 * `backup <vm> now` for each and answers each with the job's card (a new message: chat.postMessage,
 * so the card has a ts), which registers a watch. It is stopped, and the measured bot starts on
 * the same database, so it resumes the 1,000 watches.
 *
 * Measured: one `recovery points for <vm>` slash command every 600 ms (100 a minute) for
 * BENCH_ACK_STEADY_S seconds, while the sandbox's clock runs BENCH_ACK_SIM_SPEED times real time
 * so the jobs change phase (snapshot ends, job ends) and their cards' updates compete with the
 * answers. Each command's latency runs from sending it to the fake Slack API receiving its answer,
 * whichever way it went: a post to its response_url (the slash command's "Working on it…" is in
 * its ack), or a chat.postMessage / chat.update naming its VM. Then the clock
 * jumps a day (every job ends) and the bench waits up to BENCH_ACK_DRAIN_S for every card's last
 * update to show its job ended.
 *
 *   BENCH_ACK_JOBS=1000  BENCH_ACK_PER_MINUTE=100  BENCH_ACK_STEADY_S=180
 *   BENCH_ACK_SIM_SPEED=20  BENCH_ACK_DRAIN_S=1800
 */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { SlackCall } from '../test/fakes/fake-slack-api.js';
import { slackSignatureHeaders, startFakeSlackApi } from '../test/fakes/fake-slack-api.js';
import type { BotProcess } from '../test/support/bot-process.js';
import { startBotProcess } from '../test/support/bot-process.js';
import { startSandboxProcess } from '../test/support/sandbox-process.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const JOBS = num('BENCH_ACK_JOBS', 1000);
const PER_MINUTE = num('BENCH_ACK_PER_MINUTE', 100);
const STEADY_S = num('BENCH_ACK_STEADY_S', 180);
const SIM_SPEED = num('BENCH_ACK_SIM_SPEED', 20);
const DRAIN_S = num('BENCH_ACK_DRAIN_S', 1800);
// The setup's limit: 1,000 backups took 289 s on a quiet machine, over 15 min at load 20.
const SETUP_MAX_S = num('BENCH_ACK_SETUP_MAX_S', 2400);
const SECRET = 'bench-signing-secret';
const TICK_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void =>
  void process.stdout.write(`[steady ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Every chat.postMessage / chat.update call's content as one string, to find texts in. */
const content = (c: SlackCall) => JSON.stringify(c.args);

export async function steadyScenario(): Promise<void> {
  const slack = await startFakeSlackApi();
  const sandbox = await startSandboxProcess({ SANDBOX_REQUEST_BUDGET: 'off' });
  const agent = new Agent({ keepAlive: true, maxSockets: 20 });
  const dbPath = join(mkdtempSync(join(tmpdir(), 'backup-chatops-ackbench-')), 'bot.db');
  const env = (updatesPerMinute?: string): Record<string, string> => ({
    SANDBOX_URL: sandbox.url,
    SANDBOX_CA_FILE: sandbox.caFile,
    ROLE_OPERATORS: 'T0FAKE:UALICE',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    TEAMS_LOCAL_ONLY: 'true',
    DATABASE_PATH: dbPath,
    WATCH_INTERVAL_MS: '1000', // the product's default on the sandbox
    ...(updatesPerMinute ? { SLACK_UPDATES_PER_MINUTE: updatesPerMinute } : {}),
  });
  let bot: BotProcess | undefined;
  let clockTimer: NodeJS.Timeout | undefined;
  const runClock = (on: boolean) => {
    if (clockTimer) clearInterval(clockTimer);
    clockTimer = on
      ? setInterval(
          () =>
            void sandbox.control('POST', `/_sandbox/clock/advance?ms=${SIM_SPEED * TICK_MS}`).catch(() => {}),
          TICK_MS,
        )
      : undefined;
  };
  /**
   * Sends a slash command; resolves with its response_url's path once acknowledged. A kept-alive
   * socket the bot closed as it was reused (ECONNRESET before any answer) is tried once more on a
   * new one: a hiccup of the load's transport, not an answer of the bot.
   */
  const send = (text: string): Promise<string> =>
    sendOnce(text).catch((e: unknown) => {
      if ((e as { code?: string }).code !== 'ECONNRESET') throw e;
      log(`resent after ECONNRESET: ${text}`);
      return sendOnce(text);
    });
  const sendOnce = (text: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const body = slack.commandBody(text);
      const path = new URL(new URLSearchParams(body).get('response_url') ?? '').pathname;
      const req = request(
        `${bot!.url}/slack/events`,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...slackSignatureHeaders(SECRET, body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve(path) : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  /**
   * Each `recovery points for <vm>` command's answer, by the command's response_url path: the post
   * to that URL, or else the first chat.postMessage or chat.update showing the VM's recovery points
   * (the core's fallback when the URL is refused).
   */
  const answers = (paths: Map<string, string>): Map<string, SlackCall> => {
    const byPath = new Map<string, SlackCall>();
    const byVm = new Map<string, SlackCall>();
    for (const c of slack.calls) {
      if (c.method === 'response_url' && c.responseUrl) {
        if (!byPath.has(c.responseUrl)) byPath.set(c.responseUrl, c);
      } else if (
        (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
        /Recovery points/i.test(content(c))
      ) {
        const vm = /\bbench-\d+\b/.exec(content(c))?.[0];
        if (vm && !byVm.has(vm)) byVm.set(vm, c);
      }
    }
    const found = new Map<string, SlackCall>();
    for (const [path, vm] of paths) {
      const c = byPath.get(path) ?? byVm.get(vm);
      if (c) found.set(path, c);
    }
    return found;
  };

  try {
    await sandbox.control('POST', '/_sandbox/durations?seed=15&snapshotMinutes=5-60&transferMinutes=15-120');
    const fleet = await sandbox.control<{ vms: { vm: string }[] }>(
      'POST',
      `/_sandbox/fleet?prefix=bench&vms=${JOBS}&vaults=0`,
    );
    const vms = fleet.vms.map((v) => v.vm);
    // Each command names a VM of its own: the answers are told apart by the text.
    if ((PER_MINUTE * STEADY_S) / 60 > vms.length)
      throw new Error('more commands than VMs: raise BENCH_ACK_JOBS or lower BENCH_ACK_STEADY_S');

    // Setup: 1,000 backups through a bot whose update pacing is raised.
    const setupStart = performance.now();
    bot = await startBotProcess(env('100000'));
    runClock(true);
    const setupFrom = Date.now();
    for (let i = 0; i < vms.length; i += 50) {
      await Promise.all(vms.slice(i, i + 50).map((vm) => send(`backup ${vm} now`)));
      await sleep(200);
    }
    const cards = new Map<string, string>(); // card ts → vm
    for (;;) {
      // A slash command's job card is a new message (the watcher updates it by its ts).
      for (const c of slack.calls)
        if (
          c.method === 'chat.postMessage' &&
          c.at >= setupFrom &&
          c.ts &&
          /Take Snapshot/.test(content(c))
        ) {
          const vm = /\bbench-\d+\b/.exec(content(c))?.[0];
          if (vm) cards.set(c.ts, vm);
        }
      if (cards.size >= vms.length) break;
      if (performance.now() - setupStart > SETUP_MAX_S * 1000)
        throw new Error(`setup: only ${cards.size} of ${vms.length} backups answered`);
      await sleep(500);
    }
    runClock(false);
    await bot.stop();
    const sample = slack.calls
      .filter(
        (c) =>
          (c.method === 'chat.update' && cards.has(String(c.args.ts))) ||
          (c.method === 'chat.postMessage' && c.ts && cards.has(c.ts)),
      )
      .at(-1);
    log(
      `setup: ${cards.size} backups answered with their cards in ${((performance.now() - setupStart) / 1000).toFixed(0)} s; a card: ${sample ? content(sample).slice(0, 400) : '-'}`,
    );

    const lastUpdate = () => {
      const last = new Map<string, SlackCall>();
      for (const c of slack.calls)
        if (c.method === 'chat.update' && cards.has(String(c.args.ts))) last.set(String(c.args.ts), c);
      return last;
    };
    const isFinal = (c: SlackCall | undefined) =>
      !!c && /Completed/.test(content(c)) && !/InProgress|In progress/i.test(content(c));
    const endedBefore = [...cards.keys()].filter((ts) => isFinal(lastUpdate().get(ts))).length;
    log(`  ${cards.size - endedBefore} jobs still running (cards not final) when the measured bot starts`);

    // The measured bot: the product's own Slack pacing, the same database (the watches resume).
    bot = await startBotProcess(env());
    const callsBefore = slack.calls.length;
    runClock(true);
    const load0 = loadavg();
    const sent: { text: string; vm: string; path?: string; at: number }[] = [];
    const interval = 60_000 / PER_MINUTE;
    const t0 = Date.now();
    const pending: Promise<void>[] = [];
    for (let k = 0; Date.now() - t0 < STEADY_S * 1000; k++) {
      const vm = vms[k % vms.length]!;
      const text = `recovery points for ${vm}`;
      const wait = t0 + k * interval - Date.now();
      if (wait > 0) await sleep(wait);
      const one: (typeof sent)[number] = { text, vm, at: Date.now() };
      sent.push(one);
      pending.push(
        send(text).then(
          (path) => void (one.path = path),
          (e: unknown) => log(`send failed: ${String(e)}`),
        ),
      );
    }
    await Promise.all(pending);
    const sentEnd = Date.now();
    const load1 = loadavg();
    // Answers still queued: wait for them (up to the drain limit), the clock still running.
    const paths = new Map(sent.filter((s) => s.path).map((s) => [s.path!, s.vm]));
    const answerDeadline = Date.now() + DRAIN_S * 1000;
    while (answers(paths).size < sent.length && Date.now() < answerDeadline) await sleep(1000);
    const answered = answers(paths);
    const answerOf = (s: (typeof sent)[number]) => (s.path ? answered.get(s.path) : undefined);
    const latencies: number[] = [];
    let unanswered = 0;
    for (const s of sent) {
      const answer = answerOf(s);
      if (answer) latencies.push(answer.at - s.at);
      else unanswered++;
    }
    const ways = new Map<string, number>();
    for (const a of answered.values()) ways.set(a.method, (ways.get(a.method) ?? 0) + 1);
    latencies.sort((a, b) => a - b);
    const q = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    const window = slack.calls.slice(callsBefore).filter((c) => c.at <= sentEnd);
    const windowUpdates = window.filter((c) => c.method === 'chat.update');
    const progressUpdates = windowUpdates.filter((c) => cards.has(String(c.args.ts))).length;
    const windowMin = (sentEnd - t0) / 60_000;
    log(
      `measured: ${sent.length} commands over ${((sentEnd - t0) / 1000).toFixed(0)} s (${(sent.length / windowMin).toFixed(0)}/min); ` +
        `command to answer p50 ${(q(0.5) / 1000).toFixed(1)} s, p95 ${(q(0.95) / 1000).toFixed(1)} s, max ${(latencies.at(-1)! / 1000).toFixed(1)} s; ` +
        `${unanswered} unanswered after ${((Date.now() - sentEnd) / 1000).toFixed(0)} s more (target p95 <= 2 s)`,
    );
    for (const i of [0, 1, 2]) {
      const from = t0 + (i * (sentEnd - t0)) / 3;
      const to = t0 + ((i + 1) * (sentEnd - t0)) / 3;
      const part = sent.filter((s) => s.at >= from && s.at < to);
      const l = part
        .map((s) => (answerOf(s)?.at ?? Number.NaN) - s.at)
        .filter((x) => !Number.isNaN(x))
        .sort((a, b) => a - b);
      log(
        `  sent in third ${i + 1}: ${part.length} commands, ${l.length} answered, p50 ${((l[Math.floor(l.length / 2)] ?? NaN) / 1000).toFixed(1)} s, max ${((l.at(-1) ?? NaN) / 1000).toFixed(1)} s`,
      );
    }
    log(
      `  in the window: ${windowUpdates.length} chat.update (${(windowUpdates.length / windowMin).toFixed(0)}/min), of which ${progressUpdates} card progress; ` +
        `${window.filter((c) => c.method === 'chat.postMessage').length} chat.postMessage, ` +
        `${window.filter((c) => c.method === 'response_url').length} response_url posts; ` +
        `answers sent by ${[...ways].map(([m, n]) => `${m} ${n}`).join(', ') || '-'}; load average ${load0.map((x) => x.toFixed(2)).join(' ')} -> ${load1.map((x) => x.toFixed(2)).join(' ')}`,
    );

    // Every job ends; every card must come to show it.
    runClock(false);
    await sandbox.control('POST', `/_sandbox/clock/advance?ms=${24 * 3600_000}`);
    const drainStart = Date.now();
    const finalAtStart = [...cards.keys()].filter((ts) => isFinal(lastUpdate().get(ts))).length;
    let final = 0;
    let reported = 0;
    for (;;) {
      const last = lastUpdate();
      final = [...cards.keys()].filter((ts) => isFinal(last.get(ts))).length;
      if (final >= cards.size || Date.now() - drainStart > DRAIN_S * 1000) break;
      if (Date.now() - reported > 30_000) {
        log(
          `  drain: ${final} of ${cards.size} cards final after ${((Date.now() - drainStart) / 1000).toFixed(0)} s`,
        );
        reported = Date.now();
      }
      await sleep(1000);
    }
    const example = [...lastUpdate().values()].at(-1);
    // Every card update after the jump should bring its card to its end: one that does not spent
    // the window on a stale view.
    const drainUpdates = slack.calls.filter(
      (c) => c.method === 'chat.update' && c.at >= drainStart && cards.has(String(c.args.ts)),
    );
    log(
      `cards: ${final} of ${cards.size} show their job ended, ${((Date.now() - drainStart) / 1000).toFixed(0)} s after every job ended ` +
        `(${finalAtStart} when it jumped; ${(((final - finalAtStart) * 60_000) / Math.max(1, Date.now() - drainStart)).toFixed(0)} cards/min since); ` +
        `${drainUpdates.length} card updates since, ${drainUpdates.filter((c) => !isFinal(c)).length} of them not final; a last update: ${example ? content(example).slice(0, 300) : '-'}`,
    );
  } finally {
    runClock(false);
    agent.destroy();
    await bot?.stop();
    await sandbox.stop();
    await slack.close();
  }
}
