/**
 * A token bucket refilled in real time. It backs Azure Recovery Services' per-subscription request
 * budget (`x-ms-ratelimit-remaining-subscription-resource-requests`, enforced) and ARM's read and
 * write counters (`x-ms-ratelimit-remaining-subscription-reads|writes`, reported only).
 */
export class RequestBudget {
  private tokens: number;
  private last = Date.now();
  /** For benchmarks: the fewest tokens left since last asked, and 429s since. */
  private lowest: number;
  private refused = 0;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
  ) {
    this.tokens = capacity;
    this.lowest = capacity;
  }

  /** The fewest tokens left and the requests refused since the last call (then starts afresh). */
  lowWater(): { capacity: number; lowest: number; refused: number } {
    const out = { capacity: this.capacity, lowest: this.lowest, refused: this.refused };
    this.lowest = Math.floor(this.tokens);
    this.refused = 0;
    return out;
  }

  /** Takes one token; returns the remaining count, or the ms to wait when the bucket is empty. */
  take(): { ok: true; remaining: number } | { ok: false; retryAfterMs: number } {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
    this.last = now;
    if (this.tokens < 1) {
      this.refused++;
      this.lowest = 0;
      const wait = this.refillPerSecond > 0 ? ((1 - this.tokens) / this.refillPerSecond) * 1000 : 60_000;
      return { ok: false, retryAfterMs: Math.ceil(wait) };
    }
    this.tokens -= 1;
    this.lowest = Math.min(this.lowest, Math.floor(this.tokens));
    return { ok: true, remaining: Math.floor(this.tokens) };
  }

  /** Takes a token if there is one and says how many are left; never refuses. */
  count(): number {
    const t = this.take();
    return t.ok ? t.remaining : 0;
  }
}
