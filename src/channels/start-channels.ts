import type { Kysely } from 'kysely';
import { renderAdaptiveCard } from '../cards/adaptive-card-renderer.js';
import type { View } from '../cards/views.js';
import type { ChatRequest, ChatUser } from '../domain/index.js';
import type { ChatDefaults } from '../chat/command.js';
import type { Reply } from '../chat/reply.js';
import { CommandJournal } from '../conversation/command-journal.js';
import type { ConversationsOptions } from '../conversation/conversation.js';
import { Conversations } from '../conversation/conversation.js';
import type { AlertSettings } from '../fleet/alert-settings.js';
import type { RouteHandler } from '../http/http-server.js';
import type { JobWatcher, WatchSink } from '../jobs/job-watcher.js';
import type { Logger } from '../logger.js';
import { DeliveryStore } from '../store/delivery-store.js';
import { OpenCommandStore } from '../store/open-command-store.js';
import type { Database } from '../store/schema.js';
import type { WatchStore } from '../store/watch-store.js';
import { WebMessageStore } from '../store/web-message-store.js';
import { SlackChannel } from './slack/slack-channel.js';
import type { SlackSettings } from './slack/slack-settings.js';
import { TeamsChannel } from './teams/teams-channel.js';
import type { TeamsSettings } from './teams/teams-settings.js';
import { WebChat } from './web/web-chat.js';

/** The settings the channels run with (the composed config's, in the bot). */
export interface ChannelsSettings {
  /** Leases of open commands, renewed a third of the way through. */
  watchLeaseMs: number;
  webChat: boolean;
  teams?: TeamsSettings;
  slack?: SlackSettings;
  alerts?: Pick<AlertSettings, 'channel'>;
}

export interface ChannelsOptions {
  config: ChannelsSettings;
  db: Kysely<Database>;
  handle: (request: ChatRequest) => Promise<Reply>;
  recover: (request: ChatRequest, startedAt: Date) => Promise<Reply>;
  watcher: JobWatcher;
  watches: WatchStore;
  /** What a watched job's card shows by default. */
  defaults: ChatDefaults;
  /** Filled here: the watcher's way to each channel's cards. */
  sinks: Record<string, WatchSink>;
  /** The web chat's "who am I" picker (the sandbox's users). */
  webUsers: readonly ChatUser[];
  now: () => Date;
  logger: Logger;
  onSent: (platform: string, kind: 'post' | 'update') => void;
  onShown: ConversationsOptions['onShown'];
  onBudgetHold: ConversationsOptions['onBudgetHold'];
}

export interface Channels {
  conversations: Conversations;
  journal: CommandJournal;
  handlers: RouteHandler[];
  /** Where the configured alerts go, by alert target id (`web`, `slack:C1`, `teams:<id>`): posters of views. */
  alertChannels: AlertChannel[];
  slack?: SlackChannel;
  teams?: TeamsChannel;
}

export interface AlertChannel {
  id: string;
  post(view: View): Promise<void>;
}

/**
 * The conversation wiring: the command journal, the one conversation core and the channels that
 * attach to it (web chat, Teams, Slack, as configured), and where alerts can go.
 */
export function startChannels(o: ChannelsOptions): Channels {
  const { config, logger } = o;
  const renderCard = (v: Parameters<typeof renderAdaptiveCard>[0]): Record<string, unknown> =>
    renderAdaptiveCard(v) as unknown as Record<string, unknown>;
  // The journal asks the core to answer what a dead process left; the core records in the journal.
  const conversations: Conversations = new Conversations({
    handle: o.handle,
    recover: o.recover,
    watcher: o.watcher,
    watches: o.watches,
    defaults: o.defaults,
    // A command whose process dies is answered by the next one once its record lapses (the lease time).
    journal: new CommandJournal({
      store: new OpenCommandStore(o.db, config.watchLeaseMs, { commands: o.now }),
      answer: (c, placed) => conversations.answerAbandoned(c, placed),
      platforms: () => conversations.platforms(),
      renewMs: Math.max(500, Math.floor(config.watchLeaseMs / 3)),
      logger,
    }),
    logger,
    onSent: o.onSent,
    ...(o.onShown ? { onShown: o.onShown } : {}),
    onBudgetHold: o.onBudgetHold,
  });
  const handlers: RouteHandler[] = [];
  const alertChannels: AlertChannel[] = [];
  const deliveries = new DeliveryStore(o.db);
  if (config.webChat) {
    const web = new WebChat({
      conversations,
      messages: new WebMessageStore(o.db),
      users: o.webUsers,
      renderCard,
      now: o.now,
      logger,
    });
    handlers.push(web.routes);
    alertChannels.push({ id: 'web', post: (v) => web.announce(v) });
  }
  let teams: TeamsChannel | undefined;
  if (config.teams) {
    teams = new TeamsChannel({ settings: config.teams, conversations, renderCard, deliveries, logger });
    handlers.push(teams.routes);
  }
  let slack: SlackChannel | undefined;
  if (config.slack) {
    slack = new SlackChannel({ settings: config.slack, conversations, deliveries, logger });
    handlers.push(slack.routes);
  }
  for (const platform of conversations.platforms()) o.sinks[platform] = conversations.sink(platform);
  // Alerts for failed scheduled backups: the configured Teams or Slack channel, and the web chat.
  const alertChannel = config.alerts?.channel;
  if (alertChannel?.platform === 'slack' && slack) {
    alertChannels.push({ id: `slack:${alertChannel.channelId}`, post: slack.poster(alertChannel.channelId) });
  } else if (alertChannel?.platform === 'teams' && teams) {
    alertChannels.push({ id: `teams:${alertChannel.conversationId}`, post: teams.poster(alertChannel) });
  }
  return {
    conversations,
    journal: conversations.journal,
    handlers,
    alertChannels,
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
  };
}
