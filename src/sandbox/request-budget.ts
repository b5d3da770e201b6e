/**
 * Azure Recovery Services' per-subscription request budget, reported on every response as
 * `x-ms-ratelimit-remaining-subscription-resource-requests`: a token bucket refilled in real time.
 */
export class RequestBudget {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
  ) {
    this.tokens = capacity;
  }

  /** Takes one token; returns the remaining count, or the ms to wait when the bucket is empty. */
  take(): { ok: true; remaining: number } | { ok: false; retryAfterMs: number } {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
    this.last = now;
    if (this.tokens < 1)
      return { ok: false, retryAfterMs: Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000) };
    this.tokens -= 1;
    return { ok: true, remaining: Math.floor(this.tokens) };
  }
}
