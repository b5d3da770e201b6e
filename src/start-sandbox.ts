import type { AppConfig } from './config.js';
import { sandboxOptionsOf } from './sandbox/sandbox-options.js';
import type { Sandbox } from './sandbox/server.js';
import { startSandbox } from './sandbox/server.js';
import type { SandboxLink } from './sandbox/shared-sandbox.js';
import { connectToSandbox } from './sandbox/shared-sandbox.js';

export interface BotSandbox {
  /** The sandbox the bot talks to in sandbox mode: its own or a shared one. */
  link?: SandboxLink;
  /** The sandbox this process started (none when it shares one, or talks to Azure). */
  embedded?: Sandbox;
  /** The bot's clock: with a sandbox, its simulated clock, so job times and elapsed times agree. */
  now: () => Date;
}

/** In sandbox mode, the local Azure: a shared one when configured, else one started in this process. */
export async function startBotSandbox(config: Pick<AppConfig, 'azure' | 'sandbox'>): Promise<BotSandbox> {
  if (config.azure.mode !== 'sandbox') return { now: () => new Date() };
  const external = config.sandbox.external;
  if (external) {
    const link = await connectToSandbox(external);
    return { link, now: () => link.clock.now() };
  }
  const embedded = await startSandbox(sandboxOptionsOf(config.sandbox));
  return { link: embedded, embedded, now: () => embedded.clock.now() };
}
