/**
 * How long a stop may take: container platforms kill a process 10 to 30 s after SIGTERM, so this
 * stays under the shortest with room for the process to exit.
 */
const STOP_BUDGET_MS = 8_000;
/** Kept back from the draining for the leases, the server and the database. */
const CLOSING_RESERVE_MS = 1_500;

/** What a running bot stops, in the order of `stopBot`. */
export interface RunningParts {
  sweeps: { stop(): void };
  http: { stopAccepting(): void; close(): Promise<void> };
  conversations: { beginStop(): void; drain(): Promise<unknown> };
  alerter?: { stop(): void };
  digests: { stop(): void };
  journal: { stop(): Promise<unknown> };
  watcher: { stop(): Promise<unknown> };
  approvals: { idle(): Promise<unknown> };
  leases?: { releaseAll(): Promise<unknown> };
  slack?: { stop(): Promise<unknown> };
  sandbox?: { close(): Promise<unknown> };
  db: { destroy(): Promise<unknown> };
}

/**
 * Stops within STOP_BUDGET_MS, whatever the chat platforms and Azure do: take no more work,
 * finish what finishes in time, hand the rest over. A command not answered by then stays on
 * record (open_commands) and its hold lapses, so the next process answers it, as after a
 * crash; a card update not delivered is repainted by the next process's watcher.
 */
export async function stopBot(p: RunningParts): Promise<void> {
  const deadline = Date.now() + STOP_BUDGET_MS;
  const left = (reserve = 0): number => Math.max(0, deadline - reserve - Date.now());
  p.sweeps.stop();
  p.http.stopAccepting();
  p.conversations.beginStop();
  p.alerter?.stop();
  p.digests.stop();
  // The commands being answered, the watcher's round and the card updates under way, while
  // time remains; what is left after that is abandoned with the process.
  await within(
    left(CLOSING_RESERVE_MS),
    Promise.allSettled([p.journal.stop(), p.watcher.stop(), p.conversations.drain(), p.approvals.idle()]),
  );
  // The vaults this replica polled go to the others at once rather than after their lease.
  await within(left(), p.leases?.releaseAll());
  await within(left(), p.slack?.stop());
  await p.http.close();
  await within(left(), p.sandbox?.close());
  await within(left(), p.db.destroy());
}

/** Waits for `work` at most `ms` (its failure is the caller's business elsewhere: it is logged there). */
function within(ms: number, work: Promise<unknown> | undefined): Promise<void> {
  if (!work) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
