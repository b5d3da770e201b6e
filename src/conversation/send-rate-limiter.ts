import { sendMark, sendPriority } from './send-priority.js';

/**
 * Keeps sends per conversation under a platform's published limits (Teams: 7 messages a second
 * and 60 per 30 seconds per conversation; Slack: chat.update per workspace), waiting instead of
 * being throttled. Answers to people go first: a progress update (sendPriority) waits while an
 * answer waits for the same conversation, and uses only part of each window (PROGRESS_SHARE), so
 * the rest stays free for answers. While progress waits, the CoalescingUpdater keeps only each
 * message's newest view: the shorter the budget, the harder progress is coalesced.
 */
export class SendRateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly answersWaiting = new Map<string, number>();

  constructor(
    private readonly windows: { perMs: number; max: number }[],
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves when one more send to this conversation stays within every window. */
  async acquire(conversation: string): Promise<void> {
    // Re-read on every look: a progress send waiting here may be raised to an answer meanwhile.
    let counted = false;
    try {
      for (;;) {
        const progress = sendPriority() === 'progress';
        if (!progress && !counted) {
          this.answersWaiting.set(conversation, (this.answersWaiting.get(conversation) ?? 0) + 1);
          counted = true;
        }
        const t = this.now();
        const longest = Math.max(...this.windows.map((w) => w.perMs));
        const times = (this.sent.get(conversation) ?? []).filter((x) => t - x < longest);
        let wait = Math.max(
          0,
          ...this.windows.map((w) => {
            const max = progress ? Math.max(1, Math.floor(w.max * PROGRESS_SHARE)) : w.max;
            const inWindow = times.filter((x) => t - x < w.perMs);
            return inWindow.length < max ? 0 : inWindow[inWindow.length - max]! + w.perMs - t;
          }),
        );
        if (progress && (this.answersWaiting.get(conversation) ?? 0) > 0)
          wait = Math.max(wait, ANSWER_CHECK_MS);
        if (wait === 0) {
          times.push(t);
          this.sent.set(conversation, times);
          return;
        }
        this.sent.set(conversation, times);
        await this.pause(wait, progress);
      }
    } finally {
      if (counted) {
        const left = (this.answersWaiting.get(conversation) ?? 1) - 1;
        if (left > 0) this.answersWaiting.set(conversation, left);
        else this.answersWaiting.delete(conversation);
      }
    }
  }

  /** Waits `ms`; progress wakes early when raised to an answer, and looks again as one. */
  private async pause(ms: number, progress: boolean): Promise<void> {
    const mark = progress ? sendMark() : undefined;
    if (!mark) return this.sleep(ms);
    const raised = mark.raised();
    try {
      await Promise.race([this.sleep(ms), raised.promise]);
    } finally {
      raised.cancel();
    }
  }

  /**
   * About how long an answer asking now would wait for its send: behind the answers already
   * waiting, until enough of the window's sends have aged out. The conversation core reads it to
   * choose between updating a message and posting a new one (Slack's chat.update window).
   */
  answerWaitMs(conversation: string): number {
    const t = this.now();
    const ahead = this.answersWaiting.get(conversation) ?? 0;
    const times = this.sent.get(conversation) ?? [];
    return Math.max(
      0,
      ...this.windows.map((w) => {
        const inWindow = times.filter((x) => t - x < w.perMs);
        // This answer is send number `ahead + 1` from now; the window frees its oldest sends first.
        const mustAgeOut = inWindow.length + ahead + 1 - w.max;
        if (mustAgeOut <= 0) return 0;
        const freed = inWindow[mustAgeOut - 1];
        // More waiting than one window holds: at least a whole window.
        return freed === undefined ? w.perMs : freed + w.perMs - t;
      }),
    );
  }
}

/** The share of each window progress updates may use; the rest is kept for answers. */
const PROGRESS_SHARE = 0.8;
/** How often progress held back by a waiting answer looks again. */
const ANSWER_CHECK_MS = 100;

/** Microsoft Teams' per-conversation limits for bots. */
export const TEAMS_CONVERSATION_LIMITS = [
  { perMs: 1_000, max: 7 },
  { perMs: 30_000, max: 60 },
];
