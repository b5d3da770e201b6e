import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { PersonLinks } from '../../src/identity/person-links.js';
import type { RunningBot } from '../../src/main.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import type { SlackDriver } from '../support/slack-driver.js';
import { blocksOf, startSlackBot } from '../support/slack-driver.js';
import { until } from '../support/until.js';

/**
 * Two-person control across platforms and aliases: one person asks on Slack and must not decide
 * from the web chat, nor from Slack under another workspace's id. A real bot with its Slack
 * channel (real Bolt, signed requests, fake Web API) and its web chat on at once.
 */
const SECRET = 'slack-signing-secret-for-security-tests';
let bot: RunningBot;
let slack: FakeSlackApi;
let driver: SlackDriver;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ bot, slack, driver, close } = await startSlackBot(SECRET, {
    WEB_CHAT: 'on',
    ROLE_OPERATORS: 'T0FAKE:UBOB,T0FAKE:UERIN',
    ROLE_APPROVERS: 'T0OTHER:UERIN,T0FAKE:UDAVE',
    // Bob of the web chat (an approver there) is Bob of Slack.
    IDENTITY_LINKS: 'web:bob=T0FAKE:UBOB',
  }));
});
afterAll(() => close?.());

function group(name: string): string {
  bot.sandbox!.world.resourceGroups.set(name, { name, location: 'eastus' });
  return name;
}

async function webAction(userId: string, verb: string, data: Record<string, string>): Promise<string> {
  const res = await fetch(`${bot.url}/web/api/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, room: 'ops', verb, data }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { messageId: string }).messageId;
}

/** The web chat card of message `id` once it is an answer (no longer "Working on it…"). */
async function webAnswer(id: string): Promise<string> {
  return until('the web answer', async () => {
    const res = await fetch(`${bot.url}/web/api/history?room=ops`);
    const { messages } = (await res.json()) as { messages: { id: string; card?: unknown }[] };
    const card = JSON.stringify(messages.find((m) => m.id === id)?.card ?? '');
    return card && !/Working on it/.test(card) ? card : undefined;
  });
}

describe('self-approval across platforms and aliases', () => {
  it('refuses a Slack request approved by the same person from the web chat (linked ids)', async () => {
    const rg = group('rg-sec-web');
    const request = await driver.request(`delete resource group ${rg}`, { user: 'UBOB', team: 'T0FAKE' });
    const answer = await webAnswer(
      await webAction('web:bob', 'approval.approve', { approvalId: request.approvalId, confirmName: rg }),
    );
    expect(answer).toContain('approval.self');
    expect(answer).toContain('someone else must decide');
    expect(bot.sandbox!.world.resourceGroups.has(rg)).toBe(true);
  });

  it('refuses an approval whose Slack payload lacked the organisation, from the requester under a listed workspace alias', async () => {
    const rg = group('rg-sec-alias');
    // Asked as E0GRID:UERIN (the organisation in the payload); approving as T0OTHER:UERIN, an approver.
    const request = await driver.request(`delete resource group ${rg}`, {
      user: 'UERIN',
      team: 'T0FAKE',
      enterprise: 'E0GRID',
    });
    const before = slack.calls.length;
    expect(await driver.approve(request, rg, { user: 'UERIN', team: 'T0OTHER' })).toBe(200);
    const refusal = await until('the refusal', () =>
      slack.calls.slice(before).find((c) => /someone else must decide/.test(blocksOf(c))),
    );
    expect(blocksOf(refusal)).toContain('approval.self');
    expect(bot.sandbox!.world.resourceGroups.has(rg)).toBe(true);
  });

  it('lets the requester cancel their Slack request from the web chat, and nobody else', async () => {
    const rg = group('rg-sec-cancel');
    const request = await driver.request(`delete resource group ${rg}`, { user: 'UBOB', team: 'T0FAKE' });
    const byAlice = await webAnswer(
      await webAction('web:alice', 'approval.cancel', { approvalId: request.approvalId }),
    );
    expect(byAlice).toContain('Only the person who asked');
    const byBob = await webAnswer(
      await webAction('web:bob', 'approval.cancel', { approvalId: request.approvalId }),
    );
    expect(byBob).toMatch(/[Cc]ancelled/);
    expect(bot.sandbox!.world.resourceGroups.has(rg)).toBe(true);
  });

  it('still lets another approver approve a linked person’s request', async () => {
    const rg = group('rg-sec-other');
    const request = await driver.request(`delete resource group ${rg}`, { user: 'UBOB', team: 'T0FAKE' });
    const before = slack.calls.length;
    expect(await driver.approve(request, rg, { user: 'UDAVE', team: 'T0FAKE' })).toBe(200);
    await until('the executed request', () =>
      slack.calls
        .slice(before)
        .find(
          (c) =>
            c.method === 'chat.update' && c.args.ts === request.ts && /Approved and done/.test(blocksOf(c)),
        ),
    );
    expect(bot.sandbox!.world.resourceGroups.has(rg)).toBe(false);
  });
});

describe('one person, many ids', () => {
  const links = new PersonLinks([
    ['web:bob', 'T0FAKE:UBOB'],
    ['T0FAKE:UBOB', '0F8FAD5B-D9CB-469F-A165-70867728950E'],
  ]);

  it('links ids through configuration, transitively, and Entra object ids in any case', () => {
    expect(links.samePerson({ id: 'web:bob' }, { id: '0f8fad5b-d9cb-469f-a165-70867728950e' })).toBe(true);
    expect(links.samePerson({ id: 'web:bob' }, { id: 'web:alice' })).toBe(false);
  });

  it('counts a Slack user as one person under organisation and workspace prefixes', () => {
    expect(links.samePerson({ id: 'E0GRID:UERIN' }, { id: 'T0OTHER:UERIN' })).toBe(true);
    expect(links.samePerson({ id: 'E0GRID:UBOB' }, { id: 'web:bob' })).toBe(true);
    expect(links.samePerson({ id: 'T0FAKE:UERIN' }, { id: 'T0FAKE:UBOB' })).toBe(false);
  });

  it('reads IDENTITY_LINKS, and refuses an entry that is not chat ids joined by "="', () => {
    expect(
      loadConfig({ IDENTITY_LINKS: 'web:bob=T0FAKE:UBOB, web:alice=E0GRID:UALICE' }).chat.personLinks,
    ).toEqual([
      ['web:bob', 'T0FAKE:UBOB'],
      ['web:alice', 'E0GRID:UALICE'],
    ]);
    let error: unknown;
    try {
      loadConfig({ IDENTITY_LINKS: 'web:bob,bob@example.com=web:bob' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'IDENTITY_LINKS: "web:bob" must be two or more chat ids joined by "=" (web:<name>, Slack T…:U… or E…:U…, an Entra object id).',
      'IDENTITY_LINKS: "bob@example.com=web:bob" must be two or more chat ids joined by "=" (web:<name>, Slack T…:U… or E…:U…, an Entra object id); not a chat id: "bob@example.com".',
    ]);
  });
});
