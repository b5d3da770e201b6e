import type { View } from '../cards/views.js';
import type { ChatRequest, Platform, ConversationTarget, MessageRef } from '../domain/index.js';
import type { ChatDefaults } from '../chat/command.js';
import { watchedJobView } from '../chat/job-view.js';
import type { Reply } from '../chat/reply.js';
import { CoalescingUpdater } from './coalescing-updater.js';
import type { JobWatcher, WatchSink } from '../jobs/job-watcher.js';
import type { Logger } from '../logger.js';
import type { OpenCommand } from '../store/open-command-store.js';
import type { WatchStore } from '../store/watch-store.js';
import { sendingAs } from './send-priority.js';
import { answersInPlace, needsItsMessage } from './answer-placement.js';
import type { ChannelPort } from './channel-port.js';
import type { CommandJournal, JournalEntry } from './command-journal.js';
import { asMessageRef } from '../domain/index.js';
import { showAndWatch } from './watch-reply.js';
import { WORK_CONCURRENCY, WorkQueue } from './work-queue.js';
import { answeredBelowView, queuedView, workingView } from './working-view.js';

export interface ConversationsOptions {
  handle: (request: ChatRequest) => Promise<Reply>;
  /** Answers a command whose process died before answering it (CommandRegistry.recover). */
  recover: (request: ChatRequest, startedAt: Date) => Promise<Reply>;
  watcher: JobWatcher;
  watches: WatchStore;
  /** What a watched job's card shows by default (its vault's resource group, portal links). */
  defaults: ChatDefaults;
  journal: CommandJournal;
  logger: Logger;
  /**
   * Runs a command's work and calls `notify` once, with the expected wait, if its Azure requests are
   * held for the subscription's request budget (the backup service's scheduler, given by main.ts).
   */
  onBudgetHold: BudgetHoldHook;
  /** Counts what goes out, per platform (metrics). */
  onSent?: (platform: string, kind: 'post' | 'update') => void;
  /**
   * Told where a view was shown (an approval card, so its outcome can follow it there); answers a
   * newer view when the card's subject moved on meanwhile, which the core then shows.
   */
  onShown?: (platform: string, ref: MessageRef, view: View) => Promise<View | undefined>;
}

export type BudgetHoldHook = <T>(notify: (waitMs: number) => void, work: () => Promise<T>) => Promise<T>;

/**
 * Given for a typed command whose working view the channel showed with its acknowledgement, where
 * no answer can replace it (Slack's slash command: the ack's own body, seen only by its sender).
 */
export const SHOWN_IN_ACK = { inAck: true } as const;

/** Records the message a command's answer was posted as (JournalEntry.placed). */
type Placed = (ref: MessageRef) => Promise<void>;

/** Where a typed command's working view is: a placeholder message, or the channel's ack. */
export type CommandPlaceholder = MessageRef | typeof SHOWN_IN_ACK;

/**
 * The longest an answer waits for the platform's update budget before it goes out as a new
 * message instead of replacing its placeholder (answers first, within about a second).
 */
export const ANSWER_IN_PLACE_WAIT_MS = 1_000;

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

  /**
   * The JobWatcher's way to a card: the job's new state made into its card and shown through the
   * channel's updater, marked as progress so that people's answers go first (send-priority.ts).
   */
  sink(platform: string): WatchSink {
    return (watch, job, asOf) =>
      sendingAs('progress', () =>
        this.lane(platform).show(
          asMessageRef(watch.messageRef),
          watchedJobView(watch, job, this.o.defaults, asOf),
        ),
      );
  }

  /**
   * Answers a command its process left unanswered; throws when it could not (tried again later).
   * On the message its answer went to, when that was recorded: the answer is not posted twice.
   */
  async answerAbandoned(c: OpenCommand, placed: Placed): Promise<void> {
    const lane = this.lane(c.platform);
    const reply = await this.o.recover(c.request, c.startedAt);
    if (c.messageRef) {
      if (!(await lane.deliver(reply, asMessageRef(c.messageRef)))) throw new Error('answer not delivered');
    } else if (!(await lane.deliverLoose(c.target, reply, placed))) {
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
  /** Answers queued for sending after their command's work slot was freed (drained on stop). */
  private readonly sending = new Set<Promise<void>>();
  private readonly platform: Platform;

  constructor(
    private readonly port: ChannelPort,
    private readonly o: ConversationsOptions,
    private readonly stopping: () => boolean,
  ) {
    this.platform = port.platform;
    this.updates = new CoalescingUpdater(
      // One message's values share its ref; the view is read when the port can send it.
      (_key, newest, { ref }) => {
        o.onSent?.(this.platform, 'update');
        return port.update(ref, () => newest().view);
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
   * showed one), the answer, and the job's watch. The work slot is freed once the answer is
   * queued for sending, so the next commands' placeholders do not wait behind the platform's
   * send budget; the command stays on record until the answer is delivered. Resolves when the
   * answer is delivered (or given back to be answered again).
   */
  async command(
    target: ConversationTarget,
    request: ChatRequest,
    placeholder?: CommandPlaceholder,
  ): Promise<void> {
    const ref = placeholder && 'key' in placeholder ? placeholder : undefined;
    const entry = await this.o.journal.open(this.platform, target, request, ref);
    const { sent } = await this.work.run(() => this.converse(target, request, entry, placeholder));
    await sent;
  }

  /** The view a channel shows in its acknowledgement when it can (SHOWN_IN_ACK). */
  acknowledgement(request: ChatRequest): View {
    return workingView(request.text?.trim() || 'help');
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
        : await this.deliverNew(target, reply, entry.placed);
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

  /**
   * An answer with no placeholder to replace: through the channel's one-off way (Slack's
   * response_url, outside the message budgets) when the answer needs no id later, else posted.
   */
  async deliverLoose(target: ConversationTarget, reply: Reply, placed?: Placed): Promise<boolean> {
    if (this.port.respond && !needsItsMessage(reply)) {
      try {
        // Counted as a post: it is a new message in the conversation.
        this.o.onSent?.(this.platform, 'post');
        if (await this.port.respond(target, reply.view)) return true;
      } catch (e) {
        // It may have been shown: not posted as well, answered again later (at most twice).
        this.warn('answer not sent', e);
        return false;
      }
    }
    return this.deliverNew(target, reply, placed);
  }

  /**
   * Posts a reply as a new message and watches its job from then on (its id is known only then).
   * `placed` records the message as the command's answer first: a process that dies before the
   * command is closed leaves the next one a message to answer on, not a second card to post.
   */
  async deliverNew(target: ConversationTarget, reply: Reply, placed?: Placed): Promise<boolean> {
    try {
      const ref = await this.post(target, reply.view);
      if (ref) {
        await placed?.(ref);
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
    await Promise.allSettled([...this.sending]);
    await this.updates.idle();
  }

  /**
   * A command's work, in its slot: the placeholder, the answer, and the answer's sending *started*;
   * returns the sending, which goes on after the slot is freed and ends with the journal entry.
   * (Wrapped in an object: a promise returned as such would be awaited inside the slot.)
   */
  private async converse(
    target: ConversationTarget,
    request: ChatRequest,
    entry: JournalEntry,
    placeholder: CommandPlaceholder | undefined,
  ): Promise<{ sent: Promise<void> }> {
    const finish = (delivery: Promise<boolean>): { sent: Promise<void> } => {
      const sent = (async () => {
        let delivered = false;
        try {
          delivered = await delivery;
        } catch (e) {
          this.warn('command not answered', e);
        } finally {
          await entry.finish(delivered, this.stopping());
        }
      })();
      // Registered before the slot is freed, so a drain that finds the queue idle waits for it.
      this.sending.add(sent);
      void sent.finally(() => this.sending.delete(sent));
      return { sent };
    };
    try {
      const text = request.text?.trim() || 'help';
      const inAck = placeholder !== undefined && !('key' in placeholder);
      const ref = inAck ? undefined : (placeholder ?? (await this.post(target, workingView(text))));
      if (ref && !placeholder) await entry.placed(ref);
      const reply = await this.o.onBudgetHold(
        (waitMs) => this.sayQueued(target, ref, queuedView(text, waitMs)),
        () => this.o.handle(request),
      );
      // Stalled past its hold, this process may have had the command taken and answered by another.
      if (!(await entry.held())) {
        this.o.logger.info('command answered by another process', { platform: this.platform });
        return finish(Promise.resolve(true));
      }
      // Shown in the ack, or the platform gave the placeholder no id: the answer is a new message.
      if (!ref) return finish(this.deliverLoose(target, reply, entry.placed));
      // An update window with no room soon: the answer goes out as a new message (answers first).
      if ((this.port.updateWaitMs?.() ?? 0) > ANSWER_IN_PLACE_WAIT_MS)
        return finish(this.deliverBeside(target, ref, reply, text, entry.placed));
      return finish(this.deliver(reply, ref));
    } catch (e) {
      return finish(Promise.reject(e instanceof Error ? e : new Error(String(e))));
    }
  }

  /**
   * A command held for Azure's request budget says so, once (its answer replaces it): on its
   * placeholder, else to its sender where the port can (a Slack slash command's ack has no message).
   */
  private sayQueued(target: ConversationTarget, ref: MessageRef | undefined, view: View): void {
    const shown = ref ? this.show(ref, view) : this.port.notify?.(target, view);
    void shown?.catch((e: unknown) => this.warn('queued view not shown', e));
  }

  /**
   * Posts the answer as a new message and then retires its placeholder with an update at progress
   * priority: it waits behind every answer and is coalesced like a card's progress, so it costs
   * the window only when the window has room. (chat.delete would cost the same Tier 3 window, at
   * once; a placeholder not retired before a crash stays "Working on it…", the answer below it.)
   */
  private async deliverBeside(
    target: ConversationTarget,
    placeholder: MessageRef,
    reply: Reply,
    text: string,
    placed: Placed,
  ): Promise<boolean> {
    const delivered = await this.deliverNew(target, reply, placed);
    if (delivered) {
      void sendingAs('progress', () => this.show(placeholder, answeredBelowView(text))).catch((e: unknown) =>
        this.warn('placeholder not retired', e),
      );
    }
    return delivered;
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
