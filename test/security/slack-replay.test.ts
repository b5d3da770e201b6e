import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { mentionEventBody, sendSigned } from '../fakes/fake-slack-api.js';
import { startSlackBot } from '../support/slack-driver.js';
import { until } from '../support/until.js';

/**
 * Replay of signed Slack requests on /slack/events: the real Bolt App behind the product's server.
 * A captured request stays validly signed for 5 minutes; the bot must act on it once.
 */
const SECRET = 'slack-signing-secret-for-replay-tests';
let slack: FakeSlackApi;
let events: () => string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ slack, eventsUrl: events, close } = await startSlackBot(SECRET, { ROLE_OPERATORS: 'T0FAKE:UALICE' }));
});
afterAll(() => close?.());

const FORM = 'application/x-www-form-urlencoded';
const nowS = () => Math.floor(Date.now() / 1000);
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('Slack replay', () => {
  it('answers a signed slash command replayed within its 5 minutes once', async () => {
    const body = slack.commandBody('list vms');
    const url = new URL(new URLSearchParams(body).get('response_url')!).pathname;
    const timestamp = nowS() - 60;
    const first = await sendSigned(events(), SECRET, body, FORM, { timestamp });
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/Working on it/);
    await until('the answer', () => slack.calls.find((c) => c.responseUrl === url));
    const replay = await sendSigned(events(), SECRET, body, FORM, { timestamp });
    expect(replay.status).toBe(200);
    expect(replay.text).toBe('');
    await settle();
    expect(slack.calls.filter((c) => c.responseUrl === url)).toHaveLength(1);
  });

  it('refuses a timestamp more than 5 minutes in the future (Bolt alone takes it)', async () => {
    const body = slack.commandBody('list vaults');
    const url = new URL(new URLSearchParams(body).get('response_url')!).pathname;
    const r = await sendSigned(events(), SECRET, body, FORM, { timestamp: nowS() + 6 * 60 });
    expect(r.status).toBe(401);
    await settle();
    expect(slack.calls.filter((c) => c.responseUrl === url)).toEqual([]);
  });

  it('refuses a timestamp more than 5 minutes old', async () => {
    const r = await sendSigned(events(), SECRET, slack.commandBody('policies'), FORM, {
      timestamp: nowS() - 6 * 60,
    });
    expect(r.status).toBe(401);
  });

  it('does not let a forged signature take the place of a genuine request', async () => {
    const body = slack.commandBody('list vms');
    const timestamp = nowS();
    const forged = await sendSigned(events(), SECRET, body, FORM, { timestamp, forge: true });
    expect(forged.status).toBe(401);
    const genuine = await sendSigned(events(), SECRET, body, FORM, { timestamp });
    expect(genuine.status).toBe(200);
    expect(genuine.text).toMatch(/Working on it/);
  });

  it("still drops Slack's own retry of an event (signed anew, same event id) and runs it once", async () => {
    const body = mentionEventBody(`Ev-replay-${Date.now()}`, 'list vaults');
    const before = slack.calls.length;
    expect((await sendSigned(events(), SECRET, body, 'application/json', { timestamp: nowS() })).status).toBe(
      200,
    );
    const retry = await sendSigned(events(), SECRET, body, 'application/json', {
      timestamp: nowS() + 1,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await until('the placeholder', () =>
      slack.calls.slice(before).find((c) => c.method === 'chat.postMessage'),
    );
    await settle();
    expect(
      slack.calls
        .slice(before)
        .filter((c) => c.method === 'chat.postMessage' && /Working on it/.test(JSON.stringify(c.args))),
    ).toHaveLength(1);
  });
});
