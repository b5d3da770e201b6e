import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which sends are progress: card updates of watched jobs. Everything else a channel sends —
 * placeholders, answers to commands, approvals — is an answer to a person and goes first
 * (DESIGN.md section 4). The JobWatcher marks its updates; the rate limiter reads the mark.
 */
export type SendPriority = 'answer' | 'progress';

/**
 * The mark a send runs under. A progress send waiting for its turn is raised to an answer when an
 * answer for the same message joins it (CoalescingUpdater: the send then carries the answer), and
 * whoever holds it back (SendRateLimiter) is woken to look again.
 */
export class SendMark {
  private readonly onRaised = new Set<() => void>();

  constructor(private current: SendPriority) {}

  get priority(): SendPriority {
    return this.current;
  }

  /** Now an answer. */
  raise(): void {
    if (this.current === 'answer') return;
    this.current = 'answer';
    for (const wake of this.onRaised) wake();
    this.onRaised.clear();
  }

  /** Resolves when raised (or at once if it is an answer); `cancel` drops the wait. */
  raised(): { promise: Promise<void>; cancel: () => void } {
    if (this.current === 'answer') return { promise: Promise.resolve(), cancel: () => undefined };
    let wake!: () => void;
    const promise = new Promise<void>((r) => (wake = r));
    this.onRaised.add(wake);
    return { promise, cancel: () => this.onRaised.delete(wake) };
  }
}

const current = new AsyncLocalStorage<SendMark>();

/** Runs `fn` with its sends marked as `priority` (a mark of the caller's, to raise it later). */
export function sendingAs<T>(priority: SendPriority | SendMark, fn: () => T): T {
  return current.run(typeof priority === 'string' ? new SendMark(priority) : priority, fn);
}

/** The priority of sends made here: answers unless marked otherwise. */
export function sendPriority(): SendPriority {
  return current.getStore()?.priority ?? 'answer';
}

/** The mark of sends made here, if any. */
export function sendMark(): SendMark | undefined {
  return current.getStore();
}
