import type { Logger } from './logger.js';

/** On SIGINT or SIGTERM, the bot stops and the process exits; whatever still runs, within 10 s. */
export function stopOnSignals(bot: { stop(): Promise<void> }, logger: Logger): void {
  const stop = (signal: string): void => {
    logger.info('stopping', { signal });
    // The last guard: whatever still runs, the process is gone within 10 s of the signal.
    setTimeout(() => {
      logger.warn('stop took too long; exiting');
      process.exit(1);
    }, 10_000).unref();
    void bot.stop().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
