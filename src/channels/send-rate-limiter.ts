/**
 * Keeps sends per conversation under a platform's published limits (Teams: 7 messages a second
 * and 60 per 30 seconds per conversation), waiting instead of being throttled.
 */
export class SendRateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly windows: { perMs: number; max: number }[],
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves when one more send to this conversation stays within every window. */
  async acquire(conversation: string): Promise<void> {
    for (;;) {
      const t = this.now();
      const longest = Math.max(...this.windows.map((w) => w.perMs));
      const times = (this.sent.get(conversation) ?? []).filter((x) => t - x < longest);
      const wait = Math.max(
        0,
        ...this.windows.map((w) => {
          const inWindow = times.filter((x) => t - x < w.perMs);
          return inWindow.length < w.max ? 0 : inWindow[inWindow.length - w.max]! + w.perMs - t;
        }),
      );
      if (wait === 0) {
        times.push(t);
        this.sent.set(conversation, times);
        return;
      }
      await this.sleep(wait);
    }
  }
}

/** Microsoft Teams' per-conversation limits for bots. */
export const TEAMS_CONVERSATION_LIMITS = [
  { perMs: 1_000, max: 7 },
  { perMs: 30_000, max: 60 },
];
