import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotProcess } from '../support/bot-process.js';
import { startBotProcess } from '../support/bot-process.js';
import type { FakeOpenIdKeys } from '../fakes/fake-openid-keys.js';
import { startFakeOpenIdKeys } from '../fakes/fake-openid-keys.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { sendSigned, slackEnvFor, startFakeSlackApi } from '../fakes/fake-slack-api.js';
import { until } from '../support/until.js';

/**
 * The bot process's output is JSON lines only, library output included: a rejected Teams token is
 * the bot's own line with the reason (the token never reaches botbuilder, which would print it
 * with console.error), and Bolt logs a bad signature through its own logger.
 */
const APP_ID = '00000000-aaaa-4bbb-8ccc-000000000002';
const SECRET = 'process-logs-signing-secret';

describe('the bot process logs', () => {
  let bot: BotProcess;
  let keys: FakeOpenIdKeys;
  let slack: FakeSlackApi;

  beforeAll(async () => {
    keys = await startFakeOpenIdKeys();
    slack = await startFakeSlackApi();
    bot = await startBotProcess({
      // botbuilder is the SDK that prints (the Agents SDK logs only with DEBUG set).
      TEAMS_SDK: 'botbuilder',
      TEAMS_APP_ID: APP_ID,
      TEAMS_APP_PASSWORD: 'not-a-real-secret',
      TEAMS_APP_TENANT_ID: '3f0c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
      TEAMS_OPENID_METADATA_URL: keys.url,
      ...slackEnvFor(slack, SECRET),
    });
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await keys?.close();
    await slack?.close();
  });

  it("carries a refused Teams token and Bolt's own messages as JSON lines, and nothing on stderr", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = keys.token({
      iss: 'https://api.botframework.com',
      aud: APP_ID,
      nbf: now - 7200,
      exp: now - 3600,
      serviceurl: 'http://127.0.0.1:1',
    });
    const teams = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${expired}` },
      body: JSON.stringify({
        type: 'message',
        id: 'm1',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:1',
        from: { id: '29:x' },
        conversation: { id: 'c1' },
        recipient: { id: '28:bot' },
        text: 'help',
      }),
    });
    expect(teams.status).toBe(401);
    const forged = await sendSigned(
      `${bot.url}/slack/events`,
      SECRET,
      slack.commandBody('help'),
      'application/x-www-form-urlencoded',
      { forge: true },
    );
    expect(forged.status).toBe(401);
    const json = () =>
      bot.logs
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: string; msg: string; text?: string; reason?: string });
    await until('both refusals logged', () => {
      const lines = json();
      const teamsLine = lines.some(
        (l) => l.msg === 'teams request refused: authentication failed' && /expired/.test(l.reason ?? ''),
      );
      const slackLine = lines.some((l) => l.msg === 'slack library' && /signature/i.test(l.text ?? ''));
      return teamsLine && slackLine ? true : undefined;
    });
    expect(bot.stderr.join('')).toBe('');
    // Besides the JSON lines, only the start banner is plain text.
    const banner = bot.logs.filter((l) => !l.startsWith('{'));
    expect(banner.join('\n')).not.toMatch(/jwt|signature|Error/i);
  });
});
