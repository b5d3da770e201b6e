export interface UntilOptions {
  /** How long to wait, in wall-clock ms (default 10 s). */
  timeoutMs?: number;
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
  const { timeoutMs = 10_000, seen } = typeof options === 'number' ? { timeoutMs: options } : options;
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) {
      const saw = seen ? `\nseen:\n${await seen()}` : '';
      throw new Error(`timed out waiting for ${what} (${Date.now() - started} ms)${saw}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
