/**
 * `npm run bench:ack`: how fast the bot answers the platforms' HTTP requests with 50 commands in
 * flight at once on loopback — Slack's slash command (time to Bolt's ack) and Teams' /api/messages
 * (time to the 200). As deployed, the bot runs alone in its process (`src/main.ts`, as `npm start`),
 * Azure is elsewhere (the sandbox in a process of its own) and so are the platforms (their local
 * fakes, in this process, which also sends the load).
 *
 * The load goes out on kept-alive connections through node:http, as the platforms' senders keep
 * theirs open. (fetch costs about 0.5 ms of this process's CPU per request: against an idle
 * server, 50 concurrent fetches took p50 31–44 ms where node:http took 7–11 ms, which would be
 * counted as the bot's.)
 *
 * Scenarios (BENCH_ACK_SCENARIOS, default both): `acks`, the above; `steady`, 100 typed commands
 * a minute in one Slack workspace while 1,000 jobs are watched, command to answer shown
 * (bench/ack-steady.ts).
 */
import { Agent, request } from 'node:http';
import { startFakeBotConnector } from '../test/fakes/fake-bot-connector.js';
import { slackSignatureHeaders, startFakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { startBotProcess } from '../test/support/bot-process.js';
import { startSandboxProcess } from '../test/support/sandbox-process.js';
import { steadyScenario } from './ack-steady.js';

const CONCURRENT = 50;
const ROUNDS = 6; // the first is a warm-up and is not counted
const ANSWER_DEADLINE_MS = 60_000;
const SECRET = 'bench-signing-secret';
const OPERATOR_AAD = '6f1c0a52-6a5e-4d7f-9d7a-0d2b1c3e4f50';

/** The first scenario: 50 concurrent commands per round, time to ack and to all answered. */
async function acksScenario(): Promise<void> {
  const slack = await startFakeSlackApi();
  const connector = await startFakeBotConnector();
  const sandbox = await startSandboxProcess({ SANDBOX_REQUEST_BUDGET: 'off' });
  const bot = await startBotProcess(
    {
      SANDBOX_URL: sandbox.url,
      SANDBOX_CA_FILE: sandbox.caFile,
      ROLE_OPERATORS: `T0FAKE:UALICE,${OPERATOR_AAD}`,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      SLACK_UPDATES_PER_MINUTE: '100000',
      TEAMS_LOCAL_ONLY: 'true',
    },
    process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
  );

  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENT });

  /** Milliseconds from sending a POST to reading the whole answer, which must be a 200. */
  function timedPost(url: string, body: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const t = performance.now();
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - t)
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const slackCommand = () => {
    const body = slack.commandBody('status of jobs');
    return timedPost(`${bot.url}/slack/events`, body, {
      'content-type': 'application/x-www-form-urlencoded',
      ...slackSignatureHeaders(SECRET, body),
    });
  };

  let seq = 0;
  const teamsMessage = () => {
    seq++;
    return timedPost(
      `${bot.url}/api/messages`,
      JSON.stringify({
        type: 'message',
        id: `m-${seq}`,
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: '29:alice', name: 'Alice', aadObjectId: OPERATOR_AAD },
        conversation: { id: `a:conv-${seq % 10}` },
        recipient: { id: '28:bot', name: 'bot' },
        text: 'status of jobs',
      }),
      { 'content-type': 'application/json' },
    );
  };

  interface Figures {
    p50: number;
    p99: number;
    max: number;
    /** Milliseconds from the first command sent to the last answer shown. */
    allAnsweredMs: number;
  }

  /** Acks of every round but the first, and how long until every command's answer was shown. */
  async function measure(send: () => Promise<number>, answers: () => number): Promise<Figures> {
    const start = performance.now();
    const first = answers();
    const all: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round = await Promise.all(Array.from({ length: CONCURRENT }, send));
      if (r > 0) all.push(...round);
    }
    const deadline = performance.now() + ANSWER_DEADLINE_MS;
    while (answers() - first < CONCURRENT * ROUNDS) {
      if (performance.now() > deadline)
        throw new Error(
          `only ${answers() - first} of ${CONCURRENT * ROUNDS} answers shown after ${ANSWER_DEADLINE_MS} ms`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
    const allAnsweredMs = performance.now() - start;
    all.sort((a, b) => a - b);
    const q = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))]!;
    return { p50: q(0.5), p99: q(0.99), max: all.at(-1)!, allAnsweredMs };
  }

  try {
    // Each Slack command's answer goes through its response_url (its ack carried the placeholder);
    // each Teams answer replaces its placeholder: one PUT per command.
    const s = await measure(
      slackCommand,
      () => slack.calls.filter((c) => c.method === 'response_url').length,
    );
    const t = await measure(teamsMessage, () => connector.calls.filter((c) => c.method === 'PUT').length);
    const fmt = (x: Figures) =>
      `p50 ${x.p50.toFixed(0)} ms, p99 ${x.p99.toFixed(0)} ms, max ${x.max.toFixed(0)} ms; ` +
      `all ${CONCURRENT * ROUNDS} answered after ${(x.allAnsweredMs / 1000).toFixed(1)} s ` +
      `(${((CONCURRENT * ROUNDS * 1000) / x.allAnsweredMs).toFixed(0)} commands/s)`;
    process.stdout.write(
      [
        `${CONCURRENT} concurrent "status of jobs" commands, ${ROUNDS - 1} rounds after a warm-up, loopback; bot, sandbox and load in three processes:`,
        `  Slack slash command, time to ack: ${fmt(s)} (target p99 < 100 ms)`,
        `  Teams /api/messages, time to 200: ${fmt(t)} (target p99 < 300 ms)`,
        '',
      ].join('\n'),
    );
  } finally {
    // The child processes go with the bench, whatever happened.
    agent.destroy();
    await bot.stop();
    await sandbox.stop();
    await slack.close();
    await connector.close();
  }
}

const chosen = (process.env.BENCH_ACK_SCENARIOS ?? 'acks,steady').split(',').map((x) => x.trim());
for (const name of chosen)
  if (name !== 'acks' && name !== 'steady') throw new Error(`unknown scenario ${name}`);
if (chosen.includes('acks')) await acksScenario();
if (chosen.includes('steady')) await steadyScenario();
