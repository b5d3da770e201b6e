import { AsyncLocalStorage } from 'node:async_hooks';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

/**
 * Azure Recovery Services counts requests per subscription in a budget of its own, reported on every
 * response as `x-ms-ratelimit-remaining-subscription-resource-requests`; it is shared with every
 * other tool of the subscription and refills slowly. One scheduler per subscription reads it from
 * every response and decides who may spend it: people's commands first (they are queued, never
 * failed, when it runs out), the watcher and alerts only above a reserve kept for people.
 *
 * In the recorded 2026 session job reads and other reads answered from two different counts (249
 * and 1,099), so job reads are counted apart.
 */
export type RequestPriority = 'interactive' | 'background';

const priority = new AsyncLocalStorage<RequestPriority>();

/** Runs `fn` with its Azure requests at background priority (the watcher, alerts). */
export function inBackground<T>(fn: () => Promise<T>): Promise<T> {
  return priority.run('background', fn);
}

/** Every method of `service` called at background priority. */
export function atBackgroundPriority<T extends object>(service: T): T {
  return new Proxy(service, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        inBackground(() => Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args)));
    },
  });
}

export interface BudgetSettings {
  /** Requests kept for people: background requests wait while fewer remain (above the floor). */
  reserve: number;
  /**
   * The share of the budget the watcher and alerts leave alone (default 0.2), on top of the reserve:
   * the subscription's other tools and the portal share it, so background work waits below this
   * share of the highest count Azure has reported.
   */
  floorShare?: number;
  /** How fast the budget is assumed to refill while no response says (Azure does not document it). */
  refillPerSecond: number;
}

interface Waiter {
  priority: RequestPriority;
  resolve: () => void;
}

/** Requests sent before any response has said how much budget is left. */
const FIRST_WAVE = 4;
const DEFAULT_FLOOR_SHARE = 0.2;

/** One counter (a budget as Azure reports it) and its queue. */
class Budget {
  /** undefined until a response says; Infinity when responses carry no count (nothing to spend). */
  private remaining: number | undefined;
  /** The highest count reported: the budget's size, as far as anyone can tell. */
  private highest = 0;
  private sentUnknown = 0;
  /** Sent and not answered: the count a response reports may not include them yet. */
  private inFlight = 0;
  private observedAt = 0;
  private blockedUntil = 0;
  private backgroundBlockedUntil = 0;
  private readonly waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly s: BudgetSettings,
    private readonly now: () => number,
  ) {}

  acquire(p: RequestPriority): Promise<void> {
    // Nobody jumps the queue: a request waits behind those of its priority or higher.
    const ahead = this.waiting.some((w) => p === 'background' || w.priority === 'interactive');
    if (!ahead && this.canSend(p)) {
      this.spend();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push({ priority: p, resolve });
      this.schedule();
    });
  }

  /** An answer: what it says is left, less what is still on its way. */
  observe(remaining: number | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.remaining = remaining === undefined ? Number.POSITIVE_INFINITY : remaining - this.inFlight;
    if (remaining !== undefined) this.highest = Math.max(this.highest, remaining);
    this.observedAt = this.now();
    this.drain();
  }

  /**
   * A 429. With the budget's count in it (0), the budget is used up: nobody sends before its
   * Retry-After. Without, it is another throttle (ARM's own, or a fault): that request's retry
   * honours its Retry-After, and only background work holds back meanwhile.
   */
  throttled(retryAfterMs: number, budgetUsedUp: boolean): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const until = this.now() + retryAfterMs;
    if (budgetUsedUp) {
      this.blockedUntil = Math.max(this.blockedUntil, until);
      this.remaining = -this.inFlight;
      this.observedAt = this.now();
    } else {
      this.backgroundBlockedUntil = Math.max(this.backgroundBlockedUntil, until);
    }
    this.schedule();
  }

  /** A request that got no answer (a network error): it may or may not have been counted. */
  failed(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.drain();
  }

  /** What is left now: the last count, minus what was sent since, plus the assumed refill. */
  private estimate(): number {
    if (this.remaining === undefined) return FIRST_WAVE - this.sentUnknown;
    if (this.remaining === Number.POSITIVE_INFINITY) return this.remaining;
    return this.remaining + ((this.now() - this.observedAt) / 1000) * this.s.refillPerSecond;
  }

  /** Until an answer says what is left, anyone may send the first wave (it learns the count). */
  private needed(p: RequestPriority): number {
    if (this.remaining === undefined || p === 'interactive') return 1;
    // People's commands are not held at the floor: recorded sessions report 149 and 1,099 in turn
    // for the same kind of request (several counters behind one header), so a floor taken from the
    // highest count would stall commands on a counter that simply runs lower.
    const floor = Math.ceil(this.highest * (this.s.floorShare ?? DEFAULT_FLOOR_SHARE));
    return 1 + floor + this.s.reserve;
  }

  private canSend(p: RequestPriority): boolean {
    const blocked =
      p === 'background' ? Math.max(this.blockedUntil, this.backgroundBlockedUntil) : this.blockedUntil;
    return this.now() >= blocked && this.estimate() >= this.needed(p);
  }

  private spend(): void {
    this.inFlight++;
    if (this.remaining === undefined) this.sentUnknown++;
    else if (this.remaining !== Number.POSITIVE_INFINITY) {
      this.remaining = this.estimate() - 1;
      this.observedAt = this.now();
    }
  }

  private drain(): void {
    for (;;) {
      const i = this.waiting.findIndex((w) => w.priority === 'interactive');
      const index = i >= 0 ? i : 0;
      const next = this.waiting[index];
      if (!next || !this.canSend(next.priority)) break;
      this.waiting.splice(index, 1);
      this.spend();
      next.resolve();
    }
    if (this.waiting.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const first = this.waiting.find((w) => w.priority === 'interactive') ?? this.waiting[0];
    if (!first) return;
    const blocked =
      (first.priority === 'background'
        ? Math.max(this.blockedUntil, this.backgroundBlockedUntil)
        : this.blockedUntil) - this.now();
    const short = this.needed(first.priority) - this.estimate();
    // Before any count is known, the first wave's answers drain the queue; this is a fallback.
    const refill =
      this.remaining === undefined
        ? 1000
        : this.s.refillPerSecond > 0
          ? (short / this.s.refillPerSecond) * 1000
          : 1000;
    const delay = Math.min(10_000, Math.max(20, blocked, refill));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, delay);
    this.timer.unref();
  }
}

export class RequestBudgetScheduler {
  private readonly jobs: Budget;
  private readonly others: Budget;

  constructor(settings: BudgetSettings, now: () => number = Date.now) {
    this.jobs = new Budget(settings, now);
    this.others = new Budget(settings, now);
  }

  /** A pipeline policy that spends the budget: put it per retry, so each attempt counts. */
  policy(): PipelinePolicy {
    return {
      name: 'backupChatopsRequestBudget',
      sendRequest: async (request, next) => {
        const path = new URL(request.url).pathname;
        if (!/\/providers\/Microsoft\.RecoveryServices\//i.test(path)) return next(request);
        const budget = /\/backupJobs(\/|$)/i.test(path) ? this.jobs : this.others;
        await budget.acquire(priority.getStore() ?? 'interactive');
        let response: PipelineResponse;
        try {
          response = await next(request);
        } catch (e) {
          budget.failed();
          throw e;
        }
        const left = numberHeader(response, 'x-ms-ratelimit-remaining-subscription-resource-requests');
        if (response.status === 429) budget.throttled(retryAfterMs(response), left !== undefined);
        else budget.observe(left);
        return response;
      },
    };
  }
}

function retryAfterMs(response: PipelineResponse): number {
  const ms = numberHeader(response, 'retry-after-ms');
  if (ms !== undefined) return ms;
  const seconds = numberHeader(response, 'retry-after');
  return seconds !== undefined ? seconds * 1000 : 1000;
}

function numberHeader(response: PipelineResponse, name: string): number | undefined {
  const text = response.headers.get(name);
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
