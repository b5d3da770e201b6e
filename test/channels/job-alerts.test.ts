import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import { until } from '../support/until.js';
import type { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import { startFakeBotConnector } from '../fakes/fake-bot-connector.js';
import type { FakeSlackApi, SlackCall } from '../fakes/fake-slack-api.js';
import { startFakeSlackApi } from '../fakes/fake-slack-api.js';

/**
 * Alerts for failed scheduled backups, end to end: the bot on its sandbox, a scheduled backup of
 * myVM made to fail there, and the alert read from what the real Bolt client and the real
 * CloudAdapter sent to the local fakes.
 */
const base = (name: string): Record<string, string> => ({
  PORT: '0',
  DATABASE_PATH: join(mkdtempSync(join(tmpdir(), `${name}-`)), 'bot.db'),
  SANDBOX_CLOCK_SPEED: '0',
  WATCH_INTERVAL_MS: '50',
  ALERT_INTERVAL_MS: '50',
});
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fails a scheduled backup of myVM in `phase` and runs it to its end. */
function failScheduled(bot: RunningBot, phase: 'snapshot' | 'transfer'): string {
  bot.sandbox!.failNextBackup('myVM', phase);
  const id = bot.sandbox!.startScheduledBackup('myVM');
  bot.sandbox!.clock.advance((phase === 'snapshot' ? 9 : 42) * 60_000);
  return id;
}

describe('alerts in Slack', () => {
  let bot: RunningBot;
  let slack: FakeSlackApi;
  const alerts = () =>
    slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && /Scheduled backup/.test(JSON.stringify(c.args.blocks)),
    );

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    bot = await startBot(
      loadConfig({
        ...base('alerts-slack'),
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: slack.url,
        ALERT_CHANNEL: 'slack:C0ALERTS',
      }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
  });

  it('posts one alert per failed scheduled job to the configured channel with chat.postMessage', async () => {
    // Let the alerter start watching before anything fails: the seeded old failures stay quiet.
    await pause(200);
    expect(alerts()).toEqual([]);
    const failed = failScheduled(bot, 'snapshot');
    const alert = await until('the Failed alert', () => alerts()[0]);
    expect(alert.args.channel).toBe('C0ALERTS');
    const blocks = JSON.stringify(alert.args.blocks);
    expect(alert.args.text).toBe('❌ Scheduled backup failed · myVM');
    for (const words of ['Take Snapshot', 'ExtensionSnapshotFailedNoNetwork', failed, 'backup myVM now'])
      expect(blocks).toContain(words);

    const warned = failScheduled(bot, 'transfer');
    const second = await until('the warning alert', () => alerts()[1]);
    expect(JSON.stringify(second.args.blocks)).toContain(warned);
    expect(JSON.stringify(second.args.blocks)).toContain('Transfer data to vault');
    // Many more rounds later, still one message per job.
    await pause(500);
    expect(alerts()).toHaveLength(2);
  });

  it('posts an alert Slack throttled once it may, and only once', async () => {
    const before = alerts().length;
    slack.throttleNext(1);
    const id = failScheduled(bot, 'snapshot');
    const posted = await until('the alert after throttling', () =>
      alerts().find((c: SlackCall) => JSON.stringify(c.args.blocks).includes(id)),
    );
    expect(posted.args.channel).toBe('C0ALERTS');
    await pause(300);
    expect(alerts().filter((c) => JSON.stringify(c.args.blocks).includes(id))).toHaveLength(1);
    expect(alerts()).toHaveLength(before + 1);
  });
});

describe('alerts in Teams', () => {
  let bot: RunningBot;
  let connector: FakeBotConnector;
  const CONVERSATION = '19:alerts@thread.tacv2';
  const alerts = () =>
    connector.calls.filter(
      (c) => c.method === 'POST' && /Scheduled backup/.test(JSON.stringify(c.body.attachments ?? [])),
    );

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    bot = await startBot(
      loadConfig({
        ...base('alerts-teams'),
        TEAMS_LOCAL_ONLY: 'true',
        ALERT_CHANNEL: `teams:${CONVERSATION}`,
        ALERT_TEAMS_SERVICE_URL: connector.url,
      }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });

  it('posts the alert card as a new proactive message in the configured conversation', async () => {
    await pause(200);
    const id = failScheduled(bot, 'snapshot');
    const alert = await until('the Teams alert', () => alerts()[0]);
    expect(alert.conversationId).toBe(CONVERSATION);
    expect(alert.activityId).toBeUndefined(); // a new message, not a reply or an update
    const [attachment] = alert.body.attachments as { contentType: string; content: unknown }[];
    expect(attachment!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = JSON.stringify(attachment!.content);
    for (const words of [
      'Scheduled backup failed · myVM',
      'Take Snapshot',
      'ExtensionSnapshotFailedNoNetwork',
      id,
    ])
      expect(card).toContain(words);
    expect(card).toContain('"verb":"backup.now"');
    await pause(300);
    expect(alerts()).toHaveLength(1);
  });
});

describe('alerts in the web chat', () => {
  let bot: RunningBot;

  beforeAll(async () => {
    bot = await startBot(loadConfig(base('alerts-web')), silentLogger);
  });
  afterAll(() => bot?.stop());

  it('posts the alert card in the default room', async () => {
    await pause(200);
    const id = failScheduled(bot, 'transfer');
    const history = async () =>
      (
        (await (await fetch(`${bot.url}/web/api/history?room=ops`)).json()) as {
          messages: { card?: unknown }[];
        }
      ).messages;
    const alertsOf = async () => (await history()).filter((m) => JSON.stringify(m.card ?? '').includes(id));
    let found = await alertsOf();
    for (let i = 0; i < 200 && found.length === 0; i++) {
      await pause(25);
      found = await alertsOf();
    }
    await pause(300);
    expect(await alertsOf()).toHaveLength(1);
    expect(JSON.stringify(found[0]!.card)).toContain('Scheduled backup completed with warning · myVM');
  });
});
