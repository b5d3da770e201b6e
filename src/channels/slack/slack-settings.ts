import type { EnvReader } from '../../domain/env-reader.js';

export interface SlackSettings {
  botToken: string;
  /** HTTP mode: requests are signed with it. */
  signingSecret?: string;
  /** Socket Mode: the app-level token (xapp-…). */
  appToken?: string;
  mode: 'http' | 'socket';
  /** The slash command, as declared in the app manifest. */
  command: string;
  /** Slack Web API base URL (tests point it at a local fake). */
  apiUrl?: string;
  /**
   * chat.update calls a replica makes per minute: Slack's Tier 3 allows about 50 per workspace
   * (more in bursts). With several replicas, divide the workspace's budget between them.
   */
  updatesPerMinute: number;
}

/** SLACK_*: the channel runs when SLACK_BOT_TOKEN is set; undefined otherwise. */
export function readSlackSettings(read: EnvReader): SlackSettings | undefined {
  const botToken = read.string('SLACK_BOT_TOKEN');
  if (!botToken) {
    if (read.string('SLACK_SIGNING_SECRET') || read.string('SLACK_APP_TOKEN'))
      read.problem('SLACK_BOT_TOKEN (xoxb-…) is required to run the Slack channel.');
    return undefined;
  }
  const appToken = read.string('SLACK_APP_TOKEN');
  const slack: SlackSettings = {
    botToken,
    signingSecret: read.string('SLACK_SIGNING_SECRET'),
    appToken,
    mode: read.oneOf('SLACK_MODE', ['http', 'socket'] as const, appToken ? 'socket' : 'http'),
    command: read.string('SLACK_COMMAND') ?? '/backup',
    apiUrl: read.url('SLACK_API_URL', true),
    updatesPerMinute: read.int('SLACK_UPDATES_PER_MINUTE', 50, 1, 100_000),
  };
  if (slack.mode === 'http' && !slack.signingSecret)
    read.problem('SLACK_SIGNING_SECRET is required for Slack in HTTP mode.');
  if (slack.mode === 'socket' && !appToken)
    read.problem('SLACK_APP_TOKEN (xapp-…) is required for Slack in Socket Mode.');
  if (!slack.command.startsWith('/'))
    read.problem(`SLACK_COMMAND must start with "/" (got "${slack.command}").`);
  return slack;
}
