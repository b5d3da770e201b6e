import type { View } from '../cards/views.js';
import type { ChatRequest, Reply } from '../chat/chat-request.js';
import type { JobWatcher } from '../jobs/job-watcher.js';
import type { Logger } from '../logger.js';
import type { OpenCommand, OpenCommandStore } from '../store/open-command-store.js';
import { showAndWatch } from './watch-reply.js';

/** Where messages go, as the channel that wrote the references reads them. */
export interface ChannelSurface {
  /** Shows a view on an existing message. */
  showOn(messageRef: Record<string, unknown>, view: View): Promise<void>;
  /** Posts a view as a new message in `target` (a conversation); returns where it lives. */
  postTo(target: Record<string, unknown>, view: View): Promise<Record<string, unknown> | undefined>;
}

/** A command on record: say where its placeholder is once posted, and when it is done. */
export interface JournalEntry {
  placed(messageRef: Record<string, unknown>): Promise<void>;
  done(): Promise<void>;
}

export interface CommandJournalOptions {
  store: OpenCommandStore;
  /** Answers a command whose process died before answering it (CommandRegistry.recover). */
  recover: (request: ChatRequest, startedAt: Date) => Promise<Reply>;
  watcher: JobWatcher;
  /** The channels this process can answer on, by platform. */
  surfaces: Record<string, ChannelSurface>;
  /** How often this process renews its hold on its commands: well under the store's ttl. */
  renewMs: number;
  logger: Logger;
}

/** Abandoned commands taken per sweep, so one sweep stays short. */
const CLAIM_BATCH = 5;
/** Tries at answering an abandoned command before giving it up, and the pause between them. */
const MAX_ATTEMPTS = 5;
const RETRY_MS = 30_000;

/**
 * Keeps each typed command on record from its acknowledgement to its answer. A process that dies
 * in between (kill -9, a crashed node, a deploy) would leave the command lost — or "Working on
 * it…" up for ever, and a backup it had started unwatched. The next process (this one after a
 * restart, or another replica) finds the command abandoned and answers it, on its placeholder or
 * in a new message: see CommandRegistry.recover.
 */
export class CommandJournal {
  private renewer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(private readonly o: CommandJournalOptions) {}

  async open(
    platform: string,
    target: Record<string, unknown>,
    request: ChatRequest,
    messageRef?: Record<string, unknown>,
  ): Promise<JournalEntry> {
    try {
      const { id } = await this.o.store.open({
        platform,
        target,
        request,
        ...(messageRef ? { messageRef } : {}),
      });
      return {
        placed: (ref) =>
          this.o.store.placed(id, ref).catch((e: unknown) => this.warn('placeholder not recorded', e)),
        done: () => this.o.store.close(id).catch((e: unknown) => this.warn('open command not closed', e)),
      };
    } catch (e) {
      // The store is down: the command is still answered, only not recoverable.
      this.warn('command not put on record', e);
      return { placed: async () => undefined, done: async () => undefined };
    }
  }

  start(): void {
    // Renewing never waits behind a sweep: a slow answer must not let this process's own
    // commands lapse and be taken by another.
    this.renewer = setInterval(
      () => void this.o.store.renew().catch((e: unknown) => this.warn('open commands not renewed', e)),
      this.o.renewMs,
    );
    this.sweeper = setInterval(() => void this.sweep(), this.o.renewMs);
    this.renewer.unref();
    this.sweeper.unref();
    void this.sweep();
  }

  async stop(): Promise<void> {
    clearInterval(this.renewer);
    clearInterval(this.sweeper);
    await this.sweeping;
  }

  /** Answers a few abandoned commands this process can show. */
  sweep(): Promise<void> {
    this.sweeping ??= (async () => {
      try {
        const abandoned = await this.o.store.claimAbandoned(Object.keys(this.o.surfaces), CLAIM_BATCH);
        for (const c of abandoned) await this.answerAbandoned(c);
      } catch (e) {
        this.warn('open command sweep failed', e);
      }
    })().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async answerAbandoned(c: OpenCommand): Promise<void> {
    const surface = this.o.surfaces[c.platform]!;
    try {
      const reply = await this.o.recover(c.request, c.startedAt);
      if (c.messageRef) {
        const ref = c.messageRef;
        await showAndWatch(this.o.watcher, reply, c.platform, ref, () => surface.showOn(ref, reply.view));
      } else {
        // Acknowledged, but no placeholder was posted yet: the answer comes as a new message.
        const ref = await surface.postTo(c.target, reply.view);
        if (ref) await showAndWatch(this.o.watcher, reply, c.platform, ref, async () => undefined);
      }
      this.o.logger.info('interrupted command answered', {
        platform: c.platform,
        startedAt: c.startedAt.toISOString(),
        watching: Boolean(reply.watch),
      });
      await this.o.store.close(c.id);
    } catch (e) {
      const last = c.attempts + 1 >= MAX_ATTEMPTS;
      this.warn(last ? 'interrupted command given up' : 'interrupted command not answered yet', e);
      await (last ? this.o.store.close(c.id) : this.o.store.release(c.id, RETRY_MS)).catch((err: unknown) =>
        this.warn('open command not released', err),
      );
    }
  }

  private warn(msg: string, e: unknown): void {
    this.o.logger.warn(msg, { error: e instanceof Error ? e.message : String(e) });
  }
}
