import type { SendPriority } from './send-priority.js';
import { SendMark, sendPriority, sendingAs } from './send-priority.js';

/**
 * Card updates for one message go out one at a time, and only the newest waiting one is kept: a
 * burst of phase changes costs one platform call per message, and the final state always arrives.
 * The value a send carries is read when the send goes out (`send` gets it as a function, which the
 * channel calls once the platform's rate limit lets the call go): an update that waited its turn
 * while a newer view came carries the newer one, so a backlog is never spent on stale views.
 * Failures the platform marks as retryable (429 and friends) are retried after Retry-After; an
 * update given up rejects, so the caller (the JobWatcher) knows the card is behind and tries again.
 */
export interface RetryableError {
  retryAfterMs?: number;
}

export interface CoalescingUpdaterOptions {
  /** Tells whether an error is worth retrying, and after how long. */
  classify: (error: unknown) => RetryableError | undefined;
  maxAttempts?: number;
  /** Floor and cap of the pause between attempts. */
  minDelayMs?: number;
  maxDelayMs?: number;
  onGiveUp?: (key: string, error: unknown) => void;
}

export class CoalescingUpdater<T> {
  private readonly pending = new Map<string, { value: T; priority: SendPriority }>();
  private readonly running = new Map<string, Promise<void>>();
  /**
   * Each message's send waiting for its turn (its value not read yet), by its mark: an answer
   * joining it raises it, and the send carries the answer.
   */
  private readonly waiting = new Map<string, SendMark>();
  private readonly sleepers = new Set<() => void>();
  private stopped = false;

  constructor(
    /** `newest` reads the value to send once it can go; `queued` is the one it was queued with. */
    private readonly send: (key: string, newest: () => T, queued: T) => Promise<void>,
    private readonly o: CoalescingUpdaterOptions,
  ) {}

  /**
   * Queues the newest value for a message; resolves once it (or a newer one) has been sent, and
   * rejects with the platform's error when the update was given up.
   */
  update(key: string, value: T): Promise<void> {
    // An answer replacing a waiting progress update keeps its place ahead of progress.
    const before = this.pending.get(key)?.priority;
    const priority = before === 'answer' ? 'answer' : sendPriority();
    this.pending.set(key, { value, priority });
    if (priority === 'answer') this.waiting.get(key)?.raise();
    const current = this.running.get(key);
    if (current) return current;
    const run = this.drain(key).finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  /**
   * For shutdown: a failure is given up at once, and pauses before a retry end now, so a platform
   * that is gone cannot hold the process (the watcher repaints what was given up, after a restart).
   */
  stop(): void {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Sends until nothing newer waits; the last failure, if the newest value was given up, rejects. */
  private async drain(key: string): Promise<void> {
    let failure: { error: unknown } | undefined;
    for (let next = this.take(key); next !== undefined; next = this.take(key)) {
      const { value, priority } = next;
      // Sent with the priority of what it carries, not of whoever started this drain.
      const mark = new SendMark(priority);
      try {
        failure = await sendingAs(mark, () => this.deliver(key, value, mark));
      } finally {
        this.waiting.delete(key);
      }
    }
    if (failure) throw failure.error;
  }

  /** A pause that stop() ends early. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private take(key: string): { value: T; priority: SendPriority } | undefined {
    const v = this.pending.get(key);
    this.pending.delete(key);
    return v;
  }

  private async deliver(key: string, value: T, mark: SendMark): Promise<{ error: unknown } | undefined> {
    const max = this.o.maxAttempts ?? 6;
    // The newest value by the time the send goes out: one queued meanwhile replaces this one.
    const newest = (): T => {
      this.waiting.delete(key);
      const newer = this.take(key);
      if (newer !== undefined) value = newer.value;
      return value;
    };
    for (let attempt = 1; ; attempt++) {
      try {
        this.waiting.set(key, mark);
        await this.send(key, newest, value);
        return undefined;
      } catch (e) {
        const retry = this.o.classify(e);
        if (!retry || attempt >= max || this.stopped) {
          this.o.onGiveUp?.(key, e);
          return { error: e };
        }
        const backoff = (this.o.minDelayMs ?? 250) * 2 ** (attempt - 1);
        const wait = Math.min(Math.max(retry.retryAfterMs ?? 0, backoff), this.o.maxDelayMs ?? 30_000);
        await this.pause(wait);
        if (this.stopped) {
          this.o.onGiveUp?.(key, e);
          return { error: e };
        }
      }
    }
  }
}
