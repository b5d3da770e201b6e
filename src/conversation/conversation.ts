import { onBudgetHold } from '../azure/request-budget-scheduler.js';
import type { View } from '../cards/views.js';
import type { ChatRequest, Platform, Reply } from '../chat/chat-request.js';
import { CoalescingUpdater } from '../channels/coalescing-updater.js';
import type { JobWatcher, WatchSink } from '../jobs/job-watcher.js';
import type { Logger } from '../logger.js';
import type { OpenCommand } from '../store/open-command-store.js';
import type { WatchStore } from '../store/watch-store.js';
import { answersInPlace } from './answer-placement.js';
import type { ChannelPort } from './channel-port.js';
import type { CommandJournal, JournalEntry } from './command-journal.js';
import type { ConversationTarget, MessageRef } from './message-ref.js';
import { asMessageRef } from './message-ref.js';
import { showAndWatch } from './watch-reply.js';
import { WORK_CONCURRENCY, WorkQueue } from './work-queue.js';
import { queuedView, workingView } from './working-view.js';

export interface ConversationsOptions {
  handle: (request: ChatRequest) => Promise<Reply>;
  /** Answers a command whose process died before answering it (CommandRegistry.recover). */
  recover: (request: ChatRequest, startedAt: Date) => Promise<Reply>;
  watcher: JobWatcher;
  watches: WatchStore;
  journal: CommandJournal;
  logger: Logger;
  /** Counts what goes out, per platform (metrics). */
  onSent?: (platform: string, kind: 'post' | 'update') => void;
  /**
   * Told where a view was shown (an approval card, so its outcome can follow it there); answers a
   * newer view when the card's subject moved on meanwhile, which the core then shows.
   */
  onShown?: (platform: string, ref: MessageRef, view: View) => Promise<View | undefined>;
}

/** Where a pressed button's answer may go. */
export interface PressPlace {
  /** The card the button is on, when the channel vouches for it. */
  pressed?: MessageRef;
  /** A placeholder the channel already posted for the answer. */
  placeholder?: MessageRef;
  /** The platform shows an in-place answer from the request's response (Teams' invoke). */
  inResponse?: boolean;
}

export interface PressAnswer {
  view: View;
  /** Shown on the pressed card (for `inResponse`: the caller puts `view` in its response). */
  inPlace: boolean;
}

/**
 * The one command lifecycle, for every channel: record → acknowledge (the channel's) → placeholder
 * → answer → watch → close. A channel attaches its port and gets a Conversation that takes its
 * translated events; the lifecycle's rules live here once:
 *   - a command is on record until its answer is delivered; an answer not delivered is handed back
 *     to be answered again, and one not delivered while stopping is left for the next process;
 *   - a process that lost its hold (it stalled, another replica took the command) does not answer;
 *   - every update of a message goes through one coalescing, retrying updater per channel, in
 *     order with the JobWatcher's;
 *   - a watch is keyed by the message's key, and a job card shown again on a watched message keeps
 *     what the watch carries (retain-until, consistency): a refresh is the same card.
 */
export class Conversations {
  private readonly lanes = new Map<string, Conversation>();
  private stopping = false;

  constructor(private readonly o: ConversationsOptions) {}

  /** Where commands are on record until answered (started and stopped with the bot). */
  get journal(): CommandJournal {
    return this.o.journal;
  }

  /** A channel's conversation, through its port. */
  attach(port: ChannelPort): Conversation {
    const lane = new Conversation(port, this.o, () => this.stopping);
    this.lanes.set(port.platform, lane);
    return lane;
  }

  platforms(): string[] {
    return [...this.lanes.keys()];
  }

  /** Shows a view on a message of a channel (an approval's outcome on its card). */
  show(platform: string, ref: MessageRef, view: View): Promise<void> {
    return this.lane(platform).show(ref, view);
  }

  /** The JobWatcher's way to a card: the channel's updater. */
  sink(platform: string): WatchSink {
    return (watch, view) => this.lane(platform).show(asMessageRef(watch.messageRef), view);
  }

  /** Answers a command its process left unanswered; throws when it could not (tried again later). */
  async answerAbandoned(c: OpenCommand): Promise<void> {
    const lane = this.lane(c.platform);
    const reply = await this.o.recover(c.request, c.startedAt);
    if (c.messageRef) {
      if (!(await lane.deliver(reply, asMessageRef(c.messageRef)))) throw new Error('answer not delivered');
    } else if (!(await lane.deliverNew(c.target, reply))) {
      throw new Error('answer not posted');
    }
  }

  /**
   * Shutdown, first step: start no more queued commands (they stay on record for the next
   * process) and retry no update (a platform that is gone would hold the process).
   */
  beginStop(): void {
    this.stopping = true;
    for (const lane of this.lanes.values()) lane.beginStop();
  }

  /** Resolves once the commands being answered and the updates being sent are done. */
  async drain(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((l) => l.drain()));
  }

  private lane(platform: string): Conversation {
    const lane = this.lanes.get(platform);
    if (!lane) throw new Error(`no channel for ${platform}`);
    return lane;
  }
}

/** One channel's side of the lifecycle. */
export class Conversation {
  private readonly updates: CoalescingUpdater<{ ref: MessageRef; view: View }>;
  private readonly work = new WorkQueue(WORK_CONCURRENCY);
  private readonly platform: Platform;

  constructor(
    private readonly port: ChannelPort,
    private readonly o: ConversationsOptions,
    private readonly stopping: () => boolean,
  ) {
    this.platform = port.platform;
    this.updates = new CoalescingUpdater(
      (_key, { ref, view }) => {
        o.onSent?.(this.platform, 'update');
        return port.update(ref, view);
      },
      {
        classify: (e) => port.classifyError(e),
        onGiveUp: (key, e) =>
          o.logger.warn('card update given up', {
            platform: this.platform,
            error: e instanceof Error ? e.message : String(e),
            key: key.slice(0, 200),
          }),
      },
    );
  }

  /**
   * A typed command, after the channel acknowledged it: on record before it waits its turn (a
   * burst cannot delay the next acks, see WorkQueue), then a placeholder (unless the channel
   * posted one), the answer in its place, and the job's watch. Resolves when it is done.
   */
  async command(target: ConversationTarget, request: ChatRequest, placeholder?: MessageRef): Promise<void> {
    const entry = await this.o.journal.open(this.platform, target, request, placeholder);
    await this.work.run(() => this.converse(target, request, entry, placeholder));
  }

  /** A pressed button (or a submitted form): answered on its card or in a new message. */
  async press(target: ConversationTarget, request: ChatRequest, place: PressPlace): Promise<PressAnswer> {
    const verb = request.action?.verb ?? '';
    const onCard = place.pressed && answersInPlace(verb) ? place.pressed : undefined;
    const entry = await this.o.journal.open(this.platform, target, request, place.placeholder ?? onCard);
    let delivered = false;
    try {
      const reply = onCard
        ? await this.sameCard(onCard, await this.o.handle(request))
        : await this.o.handle(request);
      if (!(await entry.held())) return { view: reply.view, inPlace: false };
      if (onCard && answersInPlace(verb, reply.view)) {
        if (place.inResponse) {
          await showAndWatch(this.o.watcher, reply, this.platform, onCard, async () => undefined);
          delivered = true;
          // The platform shows the response: it must be the newest view of the card.
          return { view: (await this.shown(onCard, reply.view, false)) ?? reply.view, inPlace: true };
        } else {
          delivered = await this.deliver(reply, onCard);
        }
        return { view: reply.view, inPlace: true };
      }
      delivered = place.placeholder
        ? await this.deliver(reply, place.placeholder)
        : await this.deliverNew(target, reply);
      return { view: reply.view, inPlace: false };
    } finally {
      await entry.finish(delivered, this.stopping());
    }
  }

  /** Shows a view on a message: coalesced with the message's other updates, retried when throttled. */
  show(ref: MessageRef, view: View): Promise<void> {
    return this.updates.update(ref.key, { ref, view });
  }

  /** Posts a view nobody asked for (an alert). */
  async post(target: ConversationTarget, view: View): Promise<MessageRef | undefined> {
    this.o.onSent?.(this.platform, 'post');
    return this.port.post(target, view);
  }

  /**
   * Shows a reply on a message and watches its job. True once delivered — a watched reply counts
   * as delivered once its watch is stored: the watcher repaints a card whose update failed.
   */
  async deliver(reply: Reply, ref: MessageRef): Promise<boolean> {
    try {
      await showAndWatch(this.o.watcher, reply, this.platform, ref, () => this.show(ref, reply.view));
      await this.shown(ref, reply.view);
      return true;
    } catch (e) {
      this.warn('answer not shown', e);
      return Boolean(reply.watch);
    }
  }

  /** Posts a reply as a new message and watches its job from then on (its id is known only then). */
  async deliverNew(target: ConversationTarget, reply: Reply): Promise<boolean> {
    try {
      const ref = await this.post(target, reply.view);
      if (ref) {
        await showAndWatch(this.o.watcher, reply, this.platform, ref, async () => undefined);
        await this.shown(ref, reply.view);
      }
      return true;
    } catch (e) {
      this.warn('answer not posted', e);
      return false;
    }
  }

  /** Tells where a view went; shows (or, `show` false, returns) a newer one if there is one. */
  private async shown(ref: MessageRef, view: View, show = true): Promise<View | undefined> {
    const newer = await this.o.onShown?.(this.platform, ref, view).catch((e: unknown) => {
      this.warn('card not followed', e);
      return undefined;
    });
    if (newer && show) await this.show(ref, newer).catch((e: unknown) => this.warn('card not updated', e));
    return newer;
  }

  beginStop(): void {
    this.work.stop();
    this.updates.stop();
  }

  async drain(): Promise<void> {
    await this.work.idle();
    await this.updates.idle();
  }

  private async converse(
    target: ConversationTarget,
    request: ChatRequest,
    entry: JournalEntry,
    placeholder: MessageRef | undefined,
  ): Promise<void> {
    let delivered = false;
    try {
      const text = request.text?.trim() || 'help';
      const ref = placeholder ?? (await this.post(target, workingView(text)));
      if (!ref) {
        // The platform gave the placeholder no id: the answer comes as a new message.
        const reply = await this.o.handle(request);
        delivered = !(await entry.held()) || (await this.deliverNew(target, reply));
        return;
      }
      if (!placeholder) await entry.placed(ref);
      // Held for Azure's request budget, the command says so on its placeholder (once; the answer replaces it).
      const reply = await onBudgetHold(
        (waitMs) =>
          void this.show(ref, queuedView(text, waitMs)).catch((e: unknown) =>
            this.warn('queued card not shown', e),
          ),
        () => this.o.handle(request),
      );
      // Stalled past its hold, this process may have had the command taken and answered by another.
      if (!(await entry.held())) {
        this.o.logger.info('command answered by another process', { platform: this.platform });
        delivered = true;
        return;
      }
      delivered = await this.deliver(reply, ref);
    } catch (e) {
      this.warn('command not answered', e);
    } finally {
      await entry.finish(delivered, this.stopping());
    }
  }

  /**
   * A job card shown again on a message that watches (or watched) the job keeps what only the
   * first answer knew: the point's retain-until and the consistency to expect.
   */
  private async sameCard(ref: MessageRef, reply: Reply): Promise<Reply> {
    const view = reply.view;
    if (view.kind !== 'job') return reply;
    const watch = await this.o.watches.find(this.platform, ref.key, view.job.id).catch(() => undefined);
    if (!watch) return reply;
    const { retainUntil, consistency } = watch.extras;
    return {
      ...reply,
      view: {
        ...view,
        ...(retainUntil && !view.retainUntil ? { retainUntil } : {}),
        ...(consistency && !view.consistency ? { consistency } : {}),
      },
    };
  }

  private warn(msg: string, e: unknown): void {
    this.o.logger.warn(msg, { platform: this.platform, error: e instanceof Error ? e.message : String(e) });
  }
}
