import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which sends are progress: card updates of watched jobs. Everything else a channel sends —
 * placeholders, answers to commands, approvals — is an answer to a person and goes first
 * (DESIGN.md section 4). The JobWatcher marks its updates; the rate limiter reads the mark.
 */
export type SendPriority = 'answer' | 'progress';

const current = new AsyncLocalStorage<SendPriority>();

/** Runs `fn` with its sends marked as `priority`. */
export function sendingAs<T>(priority: SendPriority, fn: () => T): T {
  return current.run(priority, fn);
}

/** The priority of sends made here: answers unless marked otherwise. */
export function sendPriority(): SendPriority {
  return current.getStore() ?? 'answer';
}
