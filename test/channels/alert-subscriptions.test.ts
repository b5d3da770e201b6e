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

/**
 * Alert subscriptions end to end in Teams: the real CloudAdapter takes "subscribe to backup
 * alerts" in a channel conversation, and a later scheduled failure is posted there as a new
 * proactive message through the conversation's Bot Connector, as the fake connector received it.
 * No ALERT_CHANNEL is set: the subscription is the only destination.
 */
const OPERATOR = '6f1c0a52-6a5e-4d7f-9d7a-0d2b1c3e4f50';
const CONVERSATION = '19:ops@thread.tacv2';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Both Teams SDKs: the alert is a proactive post, the one send outside any incoming turn.
describe.each(['agents', 'botbuilder'])('alert subscriptions from Teams on %s', (sdk) => {
  let bot: RunningBot;
  let connector: FakeBotConnector;
  let seq = 0;
  const say = (text: string) =>
    fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `msg-${++seq}`,
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: '29:alice', name: 'Alice', aadObjectId: OPERATOR },
        conversation: { id: CONVERSATION, conversationType: 'channel', tenantId: 'tenant-1', isGroup: true },
        recipient: { id: '28:backup-bot', name: 'backup-bot' },
        text,
      }),
    });
  // Posted or updated in place (an answer replaces its "Working on it…" message).
  const cards = () => connector.calls.map((c) => JSON.stringify(c.body.attachments ?? c.body.text ?? ''));

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    bot = await startBot(
      loadConfig({
        PORT: '0',
        DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'subscriptions-')), 'bot.db'),
        SANDBOX_CLOCK_SPEED: '0',
        WATCH_INTERVAL_MS: '50',
        ALERT_INTERVAL_MS: '50',
        TEAMS_LOCAL_ONLY: 'true',
        TEAMS_SDK: sdk,
        ROLE_OPERATORS: OPERATOR,
      }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });

  it('subscribes the conversation and posts a later failure to it, through its own Bot Connector', async () => {
    expect((await say('subscribe to backup alerts only failures')).status).toBe(200);
    await until('the subscription confirmed', () =>
      cards().find((c) => c.includes('Subscribed to backup alerts')),
    );
    // At once: a failure between subscribing and the alerter's next round still reaches the channel.
    bot.sandbox!.failNextBackup('myVM', 'snapshot');
    const id = bot.sandbox!.startScheduledBackup('myVM');
    bot.sandbox!.clock.advance(9 * 60_000);
    const alert = await until('the alert in the subscribed conversation', () =>
      connector.calls.find(
        (c) => c.method === 'POST' && JSON.stringify(c.body.attachments ?? []).includes(id),
      ),
    );
    expect(alert.conversationId).toBe(CONVERSATION);
    expect(alert.activityId).toBeUndefined();
    expect(JSON.stringify(alert.body.attachments)).toContain('Scheduled backup failed · myVM');
    // Only failures: a transfer that completes with a warning is not posted here.
    bot.sandbox!.failNextBackup('myVM', 'transfer');
    const warned = bot.sandbox!.startScheduledBackup('myVM');
    bot.sandbox!.clock.advance(42 * 60_000);
    await pause(500);
    expect(cards().filter((c) => c.includes(warned))).toEqual([]);
    expect(cards().filter((c) => c.includes(id))).toHaveLength(1);
  });
});
