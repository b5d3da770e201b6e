import type { ChatRequest, Reply } from '../chat/chat-request.js';
import type { View } from '../cards/views.js';
import type { JobWatcher } from '../jobs/job-watcher.js';
import type { Logger } from '../logger.js';
import type { OpenCommand, OpenCommandStore } from '../store/open-command-store.js';
import { showAndWatch } from './watch-reply.js';

/** Shows a view on the message `messageRef` names, as the channel that posted it wrote it. */
export type ShowOn = (messageRef: Record<string, unknown>, view: View) => Promise<void>;

export interface CommandJournalOptions {
  store: OpenCommandStore;
  /** Answers a command whose process died before answering it (CommandRegistry.recover). */
  recover: (request: ChatRequest, startedAt: Date) => Promise<Reply>;
  watcher: JobWatcher;
  /** Shows a view on an existing message, by platform: the channels' card updaters. */
  shows: Record<string, ShowOn>;
  /** How often this process renews its commands and looks for abandoned ones (under the store's ttl). */
  intervalMs: number;
  logger: Logger;
}

/**
 * Keeps each typed command on record from its placeholder to its answer. A process that dies in
 * between (kill -9, a crashed node, a deploy) would leave "Working on it…" up for ever, and a
 * backup it had started unwatched; the next process (this one after a restart, or another replica)
 * finds the command abandoned and answers on the placeholder: see CommandRegistry.recover.
 */
export class CommandJournal {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(private readonly o: CommandJournalOptions) {}

  /** Runs `answer` with the command on record; once it is done (or failed), the record goes. */
  async track(
    platform: string,
    messageRef: Record<string, unknown>,
    request: ChatRequest,
    answer: () => Promise<void>,
  ): Promise<void> {
    const open = await this.o.store.open({ platform, messageRef, request });
    try {
      await answer();
    } finally {
      await this.o.store.close(open.id).catch((e: unknown) => this.warn('open command not closed', e));
    }
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** Renews this process's commands, then answers the abandoned ones it can show. */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        await this.o.store.renew();
        const abandoned = await this.o.store.claimAbandoned(Object.keys(this.o.shows));
        for (const c of abandoned) await this.answerAbandoned(c);
      } catch (e) {
        this.warn('open command sweep failed', e);
      }
    })().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async answerAbandoned(c: OpenCommand): Promise<void> {
    try {
      const reply = await this.o.recover(c.request, c.startedAt);
      const show = this.o.shows[c.platform]!;
      await showAndWatch(this.o.watcher, reply, c.platform, c.messageRef, () =>
        show(c.messageRef, reply.view),
      );
      this.o.logger.info('interrupted command answered', {
        platform: c.platform,
        startedAt: c.startedAt.toISOString(),
        watching: Boolean(reply.watch),
      });
    } catch (e) {
      this.warn('interrupted command not answered', e);
    } finally {
      await this.o.store.close(c.id);
    }
  }

  private warn(msg: string, e: unknown): void {
    this.o.logger.warn(msg, { error: e instanceof Error ? e.message : String(e) });
  }
}
