import type { ArmError } from './arm-errors.js';
import { ArmError as Err } from './arm-errors.js';

export interface FaultSettings {
  throttleRate: number;
  serverErrorRate: number;
  latencyMs: number;
  retryAfterMs: number;
}

export interface InjectedFault {
  method?: string;
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

/**
 * Decides, before a request is processed, whether it fails: injected one-off errors first, then
 * random throttling and 5xx from a seeded generator (so a run repeats). A rejected request has no
 * effect, which makes client retries safe, as with ARM's own throttling.
 */
export class FaultController {
  private settings: FaultSettings;
  private readonly rules: (InjectedFault & { left: number })[] = [];
  private readonly random: () => number;
  private readonly counts: FaultStats = { requests: 0, throttled: 0, serverErrors: 0, injected: 0 };

  constructor(settings: Partial<FaultSettings>, seed: number) {
    this.settings = { throttleRate: 0, serverErrorRate: 0, latencyMs: 0, retryAfterMs: 1000, ...settings };
    this.random = mulberry32(seed);
  }

  set(settings: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...settings };
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
        (!r.method || r.method === method) &&
        (!r.pathIncludes || path.toLowerCase().includes(r.pathIncludes.toLowerCase())),
    );
    if (rule) {
      rule.left--;
      this.counts.injected++;
      return new Err(rule.status, rule.code, rule.message, rule.status === 429 ? this.retryHeaders() : {});
    }
    if (this.random() < this.settings.throttleRate) {
      this.counts.throttled++;
      return new Err(
        429,
        'TooManyRequests',
        'The request was throttled by the sandbox. Retry after the given time.',
        this.retryHeaders(),
      );
    }
    if (this.random() < this.settings.serverErrorRate) {
      this.counts.serverErrors++;
      return this.random() < 0.5
        ? new Err(
            503,
            'ServiceUnavailable',
            'The service is temporarily unavailable (injected by the sandbox).',
            this.retryHeaders(),
          )
        : new Err(500, 'InternalServerError', 'An internal error occurred (injected by the sandbox).');
    }
    return undefined;
  }

  retryHeaders(ms = this.settings.retryAfterMs): Record<string, string> {
    return { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) };
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
