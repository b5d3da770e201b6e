/**
 * `npm run bench:ack`: how fast the bot answers the platforms' HTTP requests with 50 commands in
 * flight at once on loopback — Slack's slash command (time to Bolt's ack) and Teams' /api/messages
 * (time to the 200). As deployed, the bot runs alone in its process (`src/main.ts`, as `npm start`),
 * Azure is elsewhere (the sandbox in a process of its own) and so are the platforms (their local
 * fakes, in this process, which also sends the load).
 */
import { startFakeBotConnector } from '../test/fakes/fake-bot-connector.js';
import { sendSigned, slashCommandBody, startFakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { startBotProcess } from '../test/support/bot-process.js';
import { startSandboxProcess } from '../test/support/sandbox-process.js';

const CONCURRENT = 50;
const ROUNDS = 6; // the first is a warm-up and is not counted
const SECRET = 'bench-signing-secret';
const OPERATOR_AAD = '6f1c0a52-6a5e-4d7f-9d7a-0d2b1c3e4f50';

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

async function timed(fn: () => Promise<number>): Promise<number> {
  const t = performance.now();
  const status = await fn();
  if (status !== 200) throw new Error(`HTTP ${status}`);
  return performance.now() - t;
}

const slackCommand = () =>
  timed(
    async () =>
      (
        await sendSigned(
          `${bot.url}/slack/events`,
          SECRET,
          slashCommandBody('status of jobs'),
          'application/x-www-form-urlencoded',
        )
      ).status,
  );

let seq = 0;
const teamsMessage = () =>
  timed(async () => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `m-${++seq}`,
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: '29:alice', name: 'Alice', aadObjectId: OPERATOR_AAD },
        conversation: { id: `a:conv-${seq % 10}` },
        recipient: { id: '28:bot', name: 'bot' },
        text: 'status of jobs',
      }),
    });
    await res.text();
    return res.status;
  });

async function measure(send: () => Promise<number>): Promise<{ p50: number; p99: number; max: number }> {
  const all: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round = await Promise.all(Array.from({ length: CONCURRENT }, send));
    if (r > 0) all.push(...round);
  }
  all.sort((a, b) => a - b);
  const q = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))]!;
  return { p50: q(0.5), p99: q(0.99), max: all.at(-1)! };
}

const s = await measure(slackCommand);
const t = await measure(teamsMessage);
const fmt = (x: { p50: number; p99: number; max: number }) =>
  `p50 ${x.p50.toFixed(0)} ms, p99 ${x.p99.toFixed(0)} ms, max ${x.max.toFixed(0)} ms`;
process.stdout.write(
  [
    `${CONCURRENT} concurrent "status of jobs" commands, ${ROUNDS - 1} rounds after a warm-up, loopback; bot, sandbox and load in three processes:`,
    `  Slack slash command, time to ack: ${fmt(s)} (target p99 < 100 ms)`,
    `  Teams /api/messages, time to 200: ${fmt(t)} (target p99 < 300 ms)`,
    '',
  ].join('\n'),
);
await bot.stop();
await sandbox.stop();
await slack.close();
await connector.close();
