import type { ChatRequest, ConversationTarget, MessageRef } from '../domain/index.js';
import type { Logger } from '../logger.js';
import type { OpenCommand, OpenCommandStore } from '../store/open-command-store.js';

/** A command on record, from its acknowledgement until its answer is delivered. */
export interface JournalEntry {
  /** Records the message it is answered on: its placeholder, or its answer posted as a new one. */
  placed(messageRef: MessageRef): Promise<void>;
  /** Whether this process still holds it (false: another took it over and answers it). */
  held(): Promise<boolean>;
  /**
   * Delivered: off the record. Not delivered: handed back to be answered again (by any process)
   * after a pause, or, while this process stops, left on record for the next one.
   */
  finish(delivered: boolean, stopping: boolean): Promise<void>;
}

export interface CommandJournalOptions {
  store: OpenCommandStore;
  /**
   * Answers a command whose process died before answering it; throws when it could not. `placed`
   * records the message a new answer was posted as.
   */
  answer: (command: OpenCommand, placed: (ref: MessageRef) => Promise<void>) => Promise<void>;
  /** The platforms this process can answer on. */
  platforms: () => string[];
  /** How often this process renews its hold on its commands: well under the store's ttl. */
  renewMs: number;
  logger: Logger;
}

/** Abandoned commands taken per sweep, so one sweep stays short. */
const CLAIM_BATCH = 5;
/** Tries at answering a command before giving it up, and the pause between them. */
const MAX_ATTEMPTS = 5;
const RETRY_MS = 30_000;

/**
 * Keeps each command (typed, or a pressed button) on record from its acknowledgement to the
 * delivery of its answer. A process that dies in between (kill -9, a crashed node, a deploy) would
 * leave the command lost — or "Working on it…" up for ever, and a backup it had started unwatched.
 * The next process (this one after a restart, or another replica) finds the command abandoned and
 * answers it, on its placeholder or in a new message: see CommandRegistry.recover.
 */
export class CommandJournal {
  private renewer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(private readonly o: CommandJournalOptions) {}

  async open(
    platform: string,
    target: ConversationTarget,
    request: ChatRequest,
    messageRef?: MessageRef,
  ): Promise<JournalEntry> {
    try {
      const { id } = await this.o.store.open({
        platform,
        target: { ...target },
        request,
        ...(messageRef ? { messageRef: { ...messageRef } } : {}),
      });
      return {
        placed: (ref) =>
          this.o.store.placed(id, { ...ref }).catch((e: unknown) => this.warn('placeholder not recorded', e)),
        // A store that does not answer cannot say another took it: this process answers.
        held: () => this.o.store.holds(id).catch(() => true),
        finish: async (delivered, stopping) => {
          if (!delivered && stopping) return;
          await (delivered ? this.o.store.close(id) : this.o.store.release(id, RETRY_MS)).catch(
            (e: unknown) => this.warn('open command not closed', e),
          );
        },
      };
    } catch (e) {
      // The store is down: the command is still answered, only not recoverable.
      this.warn('command not put on record', e);
      return { placed: async () => undefined, held: async () => true, finish: async () => undefined };
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
        const abandoned = await this.o.store.claimAbandoned(this.o.platforms(), CLAIM_BATCH);
        for (const c of abandoned) await this.answerAbandoned(c);
      } catch (e) {
        this.warn('open command sweep failed', e);
      }
    })().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async answerAbandoned(c: OpenCommand): Promise<void> {
    try {
      await this.o.answer(c, (ref) =>
        this.o.store.placed(c.id, { ...ref }).catch((e: unknown) => this.warn('answer not recorded', e)),
      );
      this.o.logger.info('interrupted command answered', {
        platform: c.platform,
        startedAt: c.startedAt.toISOString(),
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
