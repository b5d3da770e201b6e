/**
 * Faults a fake chat platform answers to a share of the bot's posts and updates, decided before
 * the call is recorded (a refused call has no effect, as on the real platforms' rate limiters).
 */
export interface ChatFaults {
  /** Share of calls answered 429 with Retry-After (0–1). */
  throttleRate: number;
  /** Share of calls answered 500 or 503 (0–1). */
  serverErrorRate: number;
  /** Retry-After sent with a 429, in whole seconds (default 1). */
  retryAfterSeconds?: number;
  /** Seed of the generator, so a run repeats (default 1). */
  seed?: number;
}

export interface FaultCounts {
  throttled: number;
  serverErrors: number;
}

export type FaultDecision =
  { kind: 'throttle'; retryAfterSeconds: number } | { kind: 'error'; status: number };

/** A seeded decider for one fake; `set` replaces the faults (undefined turns them off). */
export class ChatFaultDecider {
  readonly counts: FaultCounts = { throttled: 0, serverErrors: 0 };
  private faults: ChatFaults | undefined;
  private state = 1;

  constructor(faults?: ChatFaults) {
    this.set(faults);
  }

  set(faults: ChatFaults | undefined): void {
    this.faults = faults;
    this.state = (faults?.seed ?? 1) >>> 0;
  }

  decide(): FaultDecision | undefined {
    const f = this.faults;
    if (!f) return undefined;
    if (this.random() < f.throttleRate) {
      this.counts.throttled++;
      return { kind: 'throttle', retryAfterSeconds: f.retryAfterSeconds ?? 1 };
    }
    if (this.random() < f.serverErrorRate) {
      this.counts.serverErrors++;
      return { kind: 'error', status: this.random() < 0.5 ? 500 : 503 };
    }
    return undefined;
  }

  /** mulberry32, as the sandbox's own fault generator. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
