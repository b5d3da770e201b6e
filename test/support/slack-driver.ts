import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import type { FakeSlackApi, SlackCall } from '../fakes/fake-slack-api.js';
import { sendSigned, startFakeSlackApi } from '../fakes/fake-slack-api.js';
import { until } from './until.js';

/** Who acts in a Slack payload: a user of a workspace, with the Grid organisation or without it. */
export interface SlackActor {
  user: string;
  team: string;
  /** The Enterprise Grid organisation, when the payload names it. */
  enterprise?: string;
}

export type SlackDriver = ReturnType<typeof slackDriver>;

/** A destructive request's message as posted to Slack. */
export interface SlackApprovalRequest {
  ts: string;
  approvalId: string;
}

export const blocksOf = (c: SlackCall | undefined): string => JSON.stringify(c?.args.blocks ?? []);

/**
 * Drives a bot's Slack channel as Slack does: signed slash commands, button presses and modal
 * submissions from a chosen person, answers read from the fake Slack Web API.
 */
export function slackDriver(o: { eventsUrl: () => string; secret: string; slack: FakeSlackApi }) {
  const form = (payload: Record<string, unknown>) =>
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const post = (body: string) =>
    sendSigned(o.eventsUrl(), o.secret, body, 'application/x-www-form-urlencoded');
  const actor = (a: SlackActor) => ({
    user: { id: a.user, username: a.user.toLowerCase(), name: a.user.toLowerCase(), team_id: a.team },
    team: {
      id: a.team,
      domain: a.team.toLowerCase(),
      ...(a.enterprise ? { enterprise_id: a.enterprise } : {}),
    },
    ...(a.enterprise ? { enterprise: { id: a.enterprise, name: 'Grid' }, is_enterprise_install: true } : {}),
  });

  return {
    /** A `/backup` slash command from `a`. */
    command(text: string, a: SlackActor) {
      const body = new URLSearchParams(o.slack.commandBody(text, a.user));
      body.set('team_id', a.team);
      if (a.enterprise) {
        body.set('enterprise_id', a.enterprise);
        body.set('is_enterprise_install', 'true');
      }
      return post(body.toString());
    },

    /** Asks for a destructive action and returns its request message once posted. */
    async request(text: string, a: SlackActor): Promise<SlackApprovalRequest> {
      const before = o.slack.calls.length;
      await this.command(text, a);
      const request = await until('the approval request', () =>
        o.slack.calls
          .slice(before)
          .find((c) => c.method === 'chat.postMessage' && /Approval needed/.test(blocksOf(c))),
      );
      return {
        ts: String(request.ts),
        approvalId: /\\"approvalId\\":\\"([0-9a-f]+)\\"/.exec(blocksOf(request))![1]!,
      };
    },

    /** Presses Approve (block action), then submits the typed name in the modal Slack opened. */
    async approve(request: SlackApprovalRequest, typed: string, a: SlackActor): Promise<number> {
      const before = o.slack.calls.length;
      await post(
        form({
          type: 'block_actions',
          ...actor(a),
          channel: { id: 'C0OPS' },
          message: { ts: request.ts },
          trigger_id: `trigger-${a.user}`,
          api_app_id: 'A0FAKE',
          actions: [
            {
              type: 'button',
              action_id: 'approval.approve#0',
              block_id: 'b1',
              value: JSON.stringify({ approvalId: request.approvalId }),
              action_ts: '1',
            },
          ],
        }),
      );
      const open = await until('views.open', () =>
        o.slack.calls.slice(before).find((c) => c.method === 'views.open'),
      );
      const view = open.args.view as { callback_id: string; private_metadata: string };
      const r = await post(
        form({
          type: 'view_submission',
          ...actor(a),
          api_app_id: 'A0FAKE',
          view: {
            id: 'V0FAKE',
            callback_id: view.callback_id,
            private_metadata: view.private_metadata,
            state: { values: { confirm: { name: { type: 'plain_text_input', value: typed } } } },
          },
        }),
      );
      return r.status;
    },
  };
}

/**
 * A bot on the sandbox (clock stopped) with its Slack channel in HTTP mode against a fake Slack
 * Web API, plus `env`; and a driver of its Slack channel.
 */
export async function startSlackBot(secret: string, env: Record<string, string> = {}) {
  const slack = await startFakeSlackApi();
  const bot: RunningBot = await startBot(
    loadConfig({
      PORT: '0',
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'slack-bot-')), 'bot.db'),
      SANDBOX_CLOCK_SPEED: '0',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.url,
      ...env,
    }),
    silentLogger,
  );
  const eventsUrl = () => `${bot.url}/slack/events`;
  return {
    bot,
    slack,
    eventsUrl,
    driver: slackDriver({ eventsUrl, secret, slack }),
    async close(): Promise<void> {
      await bot.stop();
      await slack.close();
    },
  };
}
