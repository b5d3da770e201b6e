import type { TeamsSettings } from './teams-settings.js';
import type { Logger } from '../../logger.js';
import { AgentsTeamsAdapter } from './agents-adapter.js';
import { BotbuilderTeamsAdapter } from './botbuilder-adapter.js';
import type { TeamsAdapter } from './teams-adapter.js';

/** The SDK `TEAMS_SDK` names: the Microsoft 365 Agents SDK (default) or botbuilder. */
export function createTeamsAdapter(settings: TeamsSettings, logger: Logger): TeamsAdapter {
  return settings.sdk === 'botbuilder'
    ? new BotbuilderTeamsAdapter(settings, logger)
    : new AgentsTeamsAdapter(settings, logger);
}
