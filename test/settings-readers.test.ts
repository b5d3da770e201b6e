import { describe, expect, it } from 'vitest';
import { readSlackSettings } from '../src/channels/slack/slack-settings.js';
import { readTeamsSettings } from '../src/channels/teams/teams-settings.js';
import { EnvReader } from '../src/domain/env-reader.js';
import { readSandboxSettings } from '../src/sandbox/sandbox-settings.js';

describe('module settings readers', () => {
  it('read the sandbox settings alone, ignoring the bot settings npm run sandbox does not use', () => {
    const read = new EnvReader({ SANDBOX_CLOCK_SPEED: '0', TEAMS_APP_ID: 'app', WEB_CHAT: 'maybe' });
    const settings = readSandboxSettings(read, false);
    expect(settings.clockSpeed).toBe(0);
    expect(settings.operationTimeScale).toBe(0);
    expect(read.problems).toEqual([]);
  });

  it('collect every problem of their own variables on the reader', () => {
    const read = new EnvReader({ SANDBOX_REQUEST_BUDGET: 'lots', SANDBOX_PORT: '99999' });
    readSandboxSettings(read, false);
    expect(read.problems).toEqual([
      'SANDBOX_PORT must be a number from 0 to 65535 (got "99999").',
      'SANDBOX_REQUEST_BUDGET must be <capacity>/<refill per second> (like 300/10) or off.',
    ]);
  });

  it('take a shared sandbox URL only when the sandbox is in use', () => {
    const env = { SANDBOX_URL: 'https://127.0.0.1:4443/' };
    expect(readSandboxSettings(new EnvReader(env), true).external?.url).toBe('https://127.0.0.1:4443');
    expect(readSandboxSettings(new EnvReader(env), false).external).toBeUndefined();
  });

  it('leave a channel off when its variables are unset, and report a half-configured one', () => {
    const empty = new EnvReader({});
    expect(readSlackSettings(empty)).toBeUndefined();
    expect(readTeamsSettings(empty)).toEqual({ localOnly: false });
    expect(empty.problems).toEqual([]);
    const half = new EnvReader({ SLACK_SIGNING_SECRET: 's' });
    expect(readSlackSettings(half)).toBeUndefined();
    expect(half.problems).toEqual(['SLACK_BOT_TOKEN (xoxb-…) is required to run the Slack channel.']);
  });
});
