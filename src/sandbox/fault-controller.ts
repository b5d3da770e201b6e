import { ArmError } from './arm-errors.js';
import { seededRandom } from './seeded-random.js';

export interface FaultSettings {
  /** Share of requests answered 429 TooManyRequests (0–1). */
  throttleRate: number;
  /** Share of requests answered 503 ServiceUnavailable or 500 InternalServerError (0–1). */
  serverErrorRate: number;
  /** Delay added to every ARM answer. */
  latencyMs: number;
  /** Sent on 429/503 as `retry-after-ms`, and rounded up to seconds as `Retry-After`. */
  retryAfterMs: number;
}

/** Makes the next matching request(s) fail with this ARM error. */
export interface InjectedFault {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Case-insensitive substring of the path to match (any when absent). */
  pathIncludes?: string;
  status: number;
  code: string;
  message: string;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface FaultStats {
  requests: number;
  throttled: number;
  serverErrors: number;
  injected: number;
}

/** What tests and demos control (the `faults` of a running sandbox). */
export interface FaultController {
  set(settings: Partial<FaultSettings>): void;
  inject(rule: InjectedFault): void;
  stats(): FaultStats;
}

export const NO_FAULTS: FaultSettings = {
  throttleRate: 0,
  serverErrorRate: 0,
  latencyMs: 0,
  retryAfterMs: 1000,
};

/**
 * Decides, before a request is processed, whether it fails: injected one-off errors first, then
 * random throttling and 5xx from a seeded generator (so a run repeats). A rejected request has no
 * effect, which makes client retries safe, as with ARM's own throttling.
 */
export class FaultInjector implements FaultController {
  private settings: FaultSettings;
  private readonly rules: (InjectedFault & { left: number })[] = [];
  private readonly random: () => number;
  private readonly counts: FaultStats = { requests: 0, throttled: 0, serverErrors: 0, injected: 0 };

  constructor(settings: Partial<FaultSettings>, seed: number) {
    this.settings = checked({ ...NO_FAULTS, ...settings });
    this.random = seededRandom(seed);
  }

  set(settings: Partial<FaultSettings>): void {
    this.settings = checked({ ...this.settings, ...settings });
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  inject(rule: InjectedFault): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  stats(): FaultStats {
    return { ...this.counts };
  }

  /** The error this request gets, if any. */
  decide(method: string, path: string): ArmError | undefined {
    this.counts.requests++;
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        (!r.pathIncludes || path.toLowerCase().includes(r.pathIncludes.toLowerCase())),
    );
    if (rule) {
      rule.left--;
      this.counts.injected++;
      const retry = rule.status === 429 || rule.status === 503 ? this.retryHeaders() : {};
      return new ArmError(rule.status, rule.code, rule.message, retry);
    }
    if (this.random() < this.settings.throttleRate) {
      this.counts.throttled++;
      return new ArmError(
        429,
        'TooManyRequests',
        'The request is being throttled as the limit has been reached for operation type. Please retry after the time given in the Retry-After header.',
        this.retryHeaders(),
      );
    }
    if (this.random() < this.settings.serverErrorRate) {
      this.counts.serverErrors++;
      return this.random() < 0.5
        ? new ArmError(
            503,
            'ServiceUnavailable',
            'The service is temporarily unavailable. Please retry later.',
            this.retryHeaders(),
          )
        : new ArmError(500, 'InternalServerError', 'An internal server error occurred. Please retry later.');
    }
    return undefined;
  }

  retryHeaders(ms = this.settings.retryAfterMs): Record<string, string> {
    return { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) };
  }
}

/** Refuses settings that would make the sandbox misbehave silently (rates outside 0–1, negative waits). */
function checked(s: FaultSettings): FaultSettings {
  const rate = (n: number) => Number.isFinite(n) && n >= 0 && n <= 1;
  const wait = (n: number) => Number.isFinite(n) && n >= 0;
  if (!rate(s.throttleRate) || !rate(s.serverErrorRate) || !wait(s.latencyMs) || !wait(s.retryAfterMs)) {
    throw new RangeError(`Fault settings out of range (rates 0–1, times ≥ 0 ms): ${JSON.stringify(s)}.`);
  }
  return s;
}
