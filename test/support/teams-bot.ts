import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningBot } from '../../src/main.js';
import type { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import type { FakeOpenIdKeys } from '../fakes/fake-openid-keys.js';

/**
 * What the Teams tests share: the people and the app registration, the bot's environment, Bot
 * Framework activities as Teams sends them, and a POST to /api/messages over HTTP.
 */
export const OPERATOR = '6f1c0a52-6a5e-4d7f-9d7a-0d2b1c3e4f50';
export const READER = '0b9d7e1a-1111-4c4c-8a8a-9e9e9e9e9e9e';
export const APPROVER = '7c2e1f00-2222-4d4d-9b9b-8f8f8f8f8f8f';
export const TENANT = '3f0c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
export const APP_ID = '00000000-aaaa-4bbb-8ccc-000000000001';
export const SDKS = ['agents', 'botbuilder'] as const;
export type TeamsSdk = (typeof SDKS)[number];

export function teamsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'teams-')), 'bot.db'),
    SANDBOX_CLOCK_SPEED: '0',
    WATCH_INTERVAL_MS: '50',
    ROLE_OPERATORS: OPERATOR,
    ROLE_APPROVERS: APPROVER,
    ...extra,
  };
}

/**
 * The settings of a single-tenant bot registration whose incoming tokens are checked against the
 * local fake's keys (Bot Framework's and the tenant's); on the Agents SDK its outbound tokens come
 * from the fake's sidecar.
 */
export function appIdEnv(sdk: TeamsSdk, keys: FakeOpenIdKeys): Record<string, string> {
  return {
    TEAMS_SDK: sdk,
    TEAMS_APP_ID: APP_ID,
    TEAMS_APP_PASSWORD: 'not-a-real-secret',
    TEAMS_APP_TENANT_ID: TENANT,
    TEAMS_OPENID_METADATA_URL: keys.url,
    TEAMS_AUTHORITY: keys.authority,
    ...(sdk === 'agents' ? { TEAMS_TOKEN_SIDECAR_URL: keys.sidecarUrl } : {}),
  };
}

/** The claims of a token Azure Bot Service sends with an activity for `serviceUrl`. */
export function channelClaims(
  serviceUrl: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://api.botframework.com',
    aud: APP_ID,
    nbf: now - 60,
    exp: now + 3600,
    serviceurl: serviceUrl,
    ...over,
  };
}

let seq = 0;
/** The id of the last activity `activity` made. */
export const lastActivityId = (): string => `msg-${seq}`;

export function activity(
  connector: FakeBotConnector,
  over: Record<string, unknown>,
): Record<string, unknown> {
  return {
    type: 'message',
    id: `msg-${++seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: '29:alice', name: 'Alice', aadObjectId: OPERATOR },
    conversation: { id: 'a:conv-1', conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: '28:backup-bot', name: 'backup-bot' },
    ...over,
  };
}

export function mention(text: string): Record<string, unknown> {
  return {
    text: `<at>backup-bot</at> ${text}`,
    entities: [
      {
        type: 'mention',
        mentioned: { id: '28:backup-bot', name: 'backup-bot' },
        text: '<at>backup-bot</at>',
      },
    ],
  };
}

export async function post(
  bot: RunningBot,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, body: json && text ? (JSON.parse(text) as unknown) : text };
}

export const cardOf = (call: { body: Record<string, unknown> }): string =>
  JSON.stringify((call.body.attachments as unknown[] | undefined) ?? []);
