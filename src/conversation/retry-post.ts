import { setTimeout as delay } from 'node:timers/promises';

/** Whether a failed platform call may be tried again, and after how long the platform asked. */
export type RetryClassifier = (e: unknown) => { retryAfterMs?: number } | undefined;

/** Tries of a new message before its failure is given to the caller. */
const POST_ATTEMPTS = 4;
const MAX_WAIT_MS = 60_000;

/**
 * Sends a new message again after a failure the platform marks as passing, waiting its
 * Retry-After (else 1, 2, 4 s), up to four tries. Updates are not sent this way: the coalescing
 * updater retries those, newest view first.
 */
export async function retryPost<T>(call: () => Promise<T>, classify: RetryClassifier): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const retry = classify(e);
      if (!retry || attempt >= POST_ATTEMPTS) throw e;
      await delay(Math.min(retry.retryAfterMs ?? 1000 * 2 ** (attempt - 1), MAX_WAIT_MS));
    }
  }
}
