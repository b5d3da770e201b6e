export interface UntilOptions {
  /**
   * How long to wait, in wall-clock ms (default 10 s). With `progress`, how long the work may go
   * without moving at all: the allowance starts again each time it moves.
   */
  timeoutMs?: number;
  /**
   * A value that changes whenever the work waited for moves (compared as JSON: counts of calls
   * made, of faults met, of jobs started). A loaded machine makes the work slower, not stuck: the
   * wait lasts as long as the work keeps moving, and fails soon after it stops.
   */
  progress?: () => unknown;
  /** With `progress`: the longest the whole wait may last however the work moves (default 5 min). */
  maxMs?: number;
  /**
   * What the test saw, for the failure message: a timeout alone does not tell a stuck job from a
   * slow machine, so say where each thing under test had got to.
   */
  seen?: () => string | Promise<string>;
}

/** Polls `fn` until it returns something, or fails naming what it waited for and what it saw. */
export async function until<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  options: number | UntilOptions = {},
): Promise<T> {
  const o = typeof options === 'number' ? { timeoutMs: options } : options;
  const quietMs = o.timeoutMs ?? 10_000;
  const started = Date.now();
  const cap = started + (o.progress ? (o.maxMs ?? 300_000) : quietMs);
  let last = o.progress ? JSON.stringify(o.progress()) : undefined;
  let movedAt = started;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    const now = Date.now();
    if (o.progress) {
      const current = JSON.stringify(o.progress());
      if (current !== last) [last, movedAt] = [current, now];
    }
    const stalled = o.progress !== undefined && now - movedAt > quietMs;
    if (stalled || now > cap) {
      const why = o.progress
        ? stalled
          ? `nothing moved for ${now - movedAt} ms`
          : `still moving after ${now - started} ms`
        : `${now - started} ms`;
      const saw = o.seen ? `\nseen:\n${await o.seen()}` : '';
      throw new Error(`timed out waiting for ${what} (${why})${saw}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
