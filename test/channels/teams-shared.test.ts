import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { classifyConnectorError } from '../../src/channels/teams/connector-errors.js';
import {
  adaptiveCardAttachment,
  cardUpdate,
  outgoingMessage,
  referenceOf,
  textWithoutMention,
  userOf,
} from '../../src/channels/teams/teams-activity.js';
import type { TeamsActivity } from '../../src/channels/teams/teams-activity.js';

/** The SDK-independent parts of the Teams channel, and its settings. */
const incoming: TeamsActivity = {
  type: 'message',
  id: 'act-1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  from: { id: '29:alice', name: 'Alice', aadObjectId: 'aad-alice' },
  recipient: { id: '28:bot', name: 'backup-bot' },
  conversation: { id: '19:c@thread.tacv2', conversationType: 'channel', tenantId: 't1' },
  text: '<at>backup-bot</at> backup myVM now <at>Bob</at>',
  entities: [
    { type: 'mention', mentioned: { id: '28:bot', name: 'backup-bot' }, text: '<at>backup-bot</at>' },
    { type: 'mention', mentioned: { id: '29:bob', name: 'Bob' }, text: '<at>Bob</at>' },
  ],
};

describe('Teams activity translation', () => {
  it("removes only the bot's own mention from the text", () => {
    expect(textWithoutMention(incoming)).toBe('backup myVM now <at>Bob</at>');
    expect(textWithoutMention({ ...incoming, entities: [] })).toBe(incoming.text);
  });

  it('keys users by AAD object id, falling back to the Teams id', () => {
    expect(userOf(incoming)).toEqual({ id: 'aad-alice', name: 'Alice' });
    expect(userOf({ ...incoming, from: { id: '29:x' } })).toEqual({ id: 'teams:29:x', name: 'Teams user' });
  });

  it('replies to the activity a reference names, from the bot to the user, and updates in place', () => {
    const reference = referenceOf(incoming);
    const card = adaptiveCardAttachment({ type: 'AdaptiveCard' });
    expect(outgoingMessage(reference, card)).toEqual({
      type: 'message',
      channelId: 'msteams',
      serviceUrl: incoming.serviceUrl,
      conversation: incoming.conversation,
      from: incoming.recipient,
      recipient: incoming.from,
      replyToId: 'act-1',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } },
      ],
    });
    expect(cardUpdate(reference, 'card-9', card)).toMatchObject({
      id: 'card-9',
      conversation: incoming.conversation,
    });
    // A reference without an activity (a proactive alert) makes a new message, not a reply.
    expect(outgoingMessage({ ...reference, activityId: undefined }, card)).not.toHaveProperty('replyToId');
  });
});

describe('Bot Connector errors', () => {
  const headers = (retryAfter?: string) => ({
    get: (n: string) => (n === 'retry-after' ? retryAfter : undefined),
  });

  it("reads botbuilder's RestError and the Agents SDK's HttpError alike", () => {
    expect(classifyConnectorError({ statusCode: 429, response: { headers: headers('3') } })).toEqual({
      retryAfterMs: 3000,
    });
    expect(
      classifyConnectorError({ status: 429, response: { headers: new Headers({ 'retry-after': '2' }) } }),
    ).toEqual({ retryAfterMs: 2000 });
    expect(classifyConnectorError({ status: 503, response: { headers: new Headers() } })).toEqual({});
    expect(classifyConnectorError({ status: 403, response: { headers: new Headers() } })).toBeUndefined();
    expect(classifyConnectorError(new Error('no status'))).toBeUndefined();
  });
});

describe('Teams settings', () => {
  const problems = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
      return '';
    } catch (e) {
      return (e as ConfigError).problems.join('\n');
    }
  };
  const app = { TEAMS_APP_ID: 'a1', TEAMS_APP_PASSWORD: 's' };

  it('runs on the Agents SDK, single tenant, unless told otherwise', () => {
    const teams = loadConfig({ ...app, TEAMS_APP_TENANT_ID: 't1' }).teams!;
    expect(teams).toMatchObject({ sdk: 'agents', appType: 'SingleTenant', tenantId: 't1' });
    expect(
      loadConfig({ ...app, TEAMS_APP_TYPE: 'MultiTenant', TEAMS_SDK: 'botbuilder' }).teams,
    ).toMatchObject({
      sdk: 'botbuilder',
      appType: 'MultiTenant',
    });
    expect(problems({ ...app, TEAMS_SDK: 'bot-framework' })).toMatch(
      /TEAMS_SDK must be one of agents, botbuilder/,
    );
  });

  it('asks for the tenant of a single-tenant app, but not in local-only mode (no app)', () => {
    expect(problems(app)).toMatch(/TEAMS_APP_TENANT_ID is required with TEAMS_APP_TYPE=SingleTenant/);
    for (const sdk of ['agents', 'botbuilder'])
      expect(loadConfig({ TEAMS_LOCAL_ONLY: 'true', TEAMS_SDK: sdk }).teams).toMatchObject({
        sdk,
        appId: undefined,
      });
  });

  it("keeps each SDK's settings to that SDK", () => {
    const tenant = { ...app, TEAMS_APP_TENANT_ID: 't1' };
    expect(
      problems({ ...tenant, TEAMS_SDK: 'botbuilder', TEAMS_TOKEN_SIDECAR_URL: 'http://localhost:5000' }),
    ).toMatch(/TEAMS_TOKEN_SIDECAR_URL applies to TEAMS_SDK=agents only/);
    // Incoming tokens are checked the same way on both SDKs, so both read their keys from these.
    for (const sdk of ['agents', 'botbuilder'])
      expect(
        loadConfig({
          ...tenant,
          TEAMS_APP_PASSWORD: 'p',
          TEAMS_SDK: sdk,
          TEAMS_OPENID_METADATA_URL: 'http://127.0.0.1:1/x',
          TEAMS_AUTHORITY: 'http://127.0.0.1:1',
        }).teams,
      ).toMatchObject({ openIdMetadataUrl: 'http://127.0.0.1:1/x', authority: 'http://127.0.0.1:1' });
    // A token sidecar stands in for the secret.
    const sidecar = {
      TEAMS_APP_ID: 'a1',
      TEAMS_APP_TENANT_ID: 't1',
      TEAMS_TOKEN_SIDECAR_URL: 'http://localhost:5000',
    };
    expect(loadConfig(sidecar).teams?.tokenSidecarUrl).toBe('http://localhost:5000');
    expect(problems({ TEAMS_APP_ID: 'a1', TEAMS_APP_TENANT_ID: 't1' })).toMatch(
      /TEAMS_APP_PASSWORD is required/,
    );
  });
});
