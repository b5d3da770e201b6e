import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/chat/command-list.js';
import { interpretText } from '../../src/chat/interpret-text.js';
import { loadConfig } from '../../src/config.js';

const root = join(import.meta.dirname, '../..');
interface Manifest {
  features: { slash_commands: { command: string; url: string; usage_hint: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}
const manifest = parse(readFileSync(join(root, 'manifest/slack/manifest.yml'), 'utf8')) as Manifest;

describe('Slack app manifest', () => {
  it('validates against the Slack app manifest schema (major version 1)', () => {
    const schema = JSON.parse(
      readFileSync(join(root, 'test/fixtures/schemas/slack-app-manifest.schema.1.0.0.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const ok = validate(manifest);
    expect(ok ? [] : validate.errors).toEqual([]);
    expect(validate({ ...manifest, features: { slash_commands: [{ command: 'backup' }] } })).toBe(false);
  });

  it('asks for the least privilege the bot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'app_mentions:read',
      'chat:write',
      'commands',
      'im:history',
    ]);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.im']);
  });

  it('declares the slash command the bot listens for and one request URL for all of it', () => {
    const { command, url, usage_hint } = manifest.features.slash_commands[0]!;
    const defaults = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's' }).slack!;
    expect(command).toBe(defaults.command);
    for (const u of [
      url,
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ]) {
      expect(new URL(u).pathname).toBe('/slack/events');
    }
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    const read = usage_hint.split('|').map((hint) => interpretText(hint, COMMANDS, new Date()).command.id);
    expect(read).toEqual(['backup.now', 'jobs.list', 'vms.list', 'help']);
  });
});
