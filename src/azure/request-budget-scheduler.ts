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
 * and 1,099), so job reads are counted apart; and within a kind, readings far apart are kept as
 * counters of their own (see Budget).
 */
export type RequestPriority = 'interactive' | 'background';

const priority = new AsyncLocalStorage<RequestPriority>();

/** The priority of the work running now: background inside inBackground, else interactive. */
export function currentPriority(): RequestPriority {
  return priority.getStore() ?? 'interactive';
}

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
   * The share of the budget nobody here spends (default 0.2): the subscription's other tools and
   * the portal share it, so requests wait (people's are queued, never failed) rather than take a
   * counter below this share of the highest count Azure has reported for it; background work
   * also leaves the reserve above it.
   */
  floorShare?: number;
  /** How fast the budget is assumed to refill while no response says (Azure does not document it). */
  refillPerSecond: number;
}

interface Waiter {
  priority: RequestPriority;
  resolve: () => void;
}

/**
 * Whoever waits on the budget is told once, when first held, how long it expects to wait (ms). Set
 * per command by the caller (the conversation core shows it on the command's placeholder); the
 * scheduler knows nothing of chat.
 */
const heldNotice = new AsyncLocalStorage<{ notify: (waitMs: number) => void; told: boolean }>();

/** Runs `fn`; if one of its Azure requests is held for the budget, `notify` is called once with the expected wait. */
export function onBudgetHold<T>(notify: (waitMs: number) => void, fn: () => Promise<T>): Promise<T> {
  return heldNotice.run({ notify, told: false }, fn);
}

/** Requests sent before any response has said how much budget is left. */
const FIRST_WAVE = 4;
const DEFAULT_FLOOR_SHARE = 0.2;
/**
 * Readings further apart than this factor (on counts + 10) come from different counters: the
 * recorded sessions report 149 and 1,099 in turn for the same kind of request, while one counter
 * moves by a request or a refill at a time.
 */
const OTHER_COUNTER_FACTOR = 3;
/** A counter unheard of for this many answers and this long is forgotten (it refilled, or was another session's). */
const FORGET_AFTER_ANSWERS = 20;
const FORGET_AFTER_MS = 60_000;
/** Readings kept to tell which answers overtook which. */
const RECENT_READINGS = 2_000;

/** Which requests answer from which counts: job reads and the rest, as the 2026 recording shows. */
type Kind = 'jobs' | 'others';

/** One count as Azure reports it: what it last said, its highest (its size, as far as anyone can tell). */
interface Counter {
  /** Last reported, less what was in flight then and what was sent since. */
  remaining: number;
  reported: number;
  highest: number;
  observedAt: number;
  /** The answer (sequence number) that last reported it, and when. */
  heardAt: number;
  heardAtMs: number;
  /** The kinds of request whose answers reported it: their requests draw on it. */
  kinds: Set<Kind>;
}

/**
 * The counts of one subscription, shared by the kinds of request. In the 2026 recording job reads
 * and the rest answered from different counts (249 and 1,099); where one count answers both (the
 * 2022 sessions, the sandbox), both kinds' readings land on the same counter and both spend it.
 */
class CounterPool {
  counters: Counter[] = [];
  answers = 0;
  /** Every answer so far, and the latest readings with the answer they came with. */
  answeredSoFar = 0;
  private recent: { seq: number; reading: number; counter: Counter }[] = [];
  private readonly inFlight = new Map<Kind, number>();
  readonly budgets: Budget[] = [];

  constructor(private readonly now: () => number) {}

  /** Counters the requests of `kind` draw on. */
  of(kind: Kind): Counter[] {
    return this.counters.filter((c) => c.kinds.has(kind));
  }

  sent(kind: Kind): void {
    this.inFlight.set(kind, (this.inFlight.get(kind) ?? 0) + 1);
  }

  answered(kind: Kind): void {
    this.answeredSoFar++;
    this.inFlight.set(kind, Math.max(0, (this.inFlight.get(kind) ?? 0) - 1));
  }

  /** Sent and not answered by the kinds that draw on `c`: the count it reports may not include them. */
  inFlightOn(c: Counter): number {
    let n = 0;
    for (const k of c.kinds) n += this.inFlight.get(k) ?? 0;
    return n;
  }

  /**
   * A reading, given to the counter it is closest to, or to a new one. Answers can overtake each
   * other: one that came back after this request was sent (`sentSeq`) with a lower count was
   * counted after it, and is no longer in flight, so this count does not show it yet.
   */
  record(kind: Kind, reported: number, sentSeq = this.answeredSoFar): void {
    const now = this.now();
    this.answers++;
    this.counters = this.counters.filter(
      (c) => this.answers - c.heardAt <= FORGET_AFTER_ANSWERS || now - c.heardAtMs <= FORGET_AFTER_MS,
    );
    const apart = (c: Counter) => Math.abs(Math.log((reported + 10) / (c.reported + 10)));
    let counter = this.counters.reduce<Counter | undefined>(
      (best, c) => (!best || apart(c) < apart(best) ? c : best),
      undefined,
    );
    if (!counter || apart(counter) > Math.log(OTHER_COUNTER_FACTOR)) {
      counter = {
        remaining: 0,
        reported,
        highest: 0,
        observedAt: now,
        heardAt: 0,
        heardAtMs: now,
        kinds: new Set(),
      };
      this.counters.push(counter);
    }
    counter.kinds.add(kind);
    counter.reported = reported;
    const overtaken = this.recent.filter(
      (r) => r.seq > sentSeq && r.counter === counter && r.reading < reported,
    ).length;
    this.recent.push({ seq: this.answeredSoFar, reading: reported, counter });
    if (this.recent.length > RECENT_READINGS) this.recent = this.recent.slice(-RECENT_READINGS / 2);
    counter.remaining = reported - this.inFlightOn(counter) - overtaken;
    counter.highest = Math.max(counter.highest, reported);
    counter.observedAt = now;
    counter.heardAt = this.answers;
    counter.heardAtMs = now;
  }
}

/**
 * The requests of one kind and their queue. Behind one header Azure may answer from several counts
 * in turn; each reading goes to the counter it is closest to (CounterPool), each counter keeps its
 * own floor (a fifth of its own highest count), and a request is sent only when every counter its
 * kind has been answered from has room above its floor, since nobody can tell which one it will
 * draw on.
 */
class Budget {
  /** Responses carry no count: nothing to spend. */
  private unmetered = false;
  private sentUnknown = 0;
  private blockedUntil = 0;
  private backgroundBlockedUntil = 0;
  private readonly waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly s: BudgetSettings,
    private readonly now: () => number,
    private readonly pool: CounterPool,
    private readonly kind: Kind,
  ) {
    pool.budgets.push(this);
  }

  /** Answers so far, of every kind: taken when a request is sent. */
  answeredSoFar(): number {
    return this.pool.answeredSoFar;
  }

  private get counters(): Counter[] {
    return this.pool.of(this.kind);
  }

  acquire(p: RequestPriority): Promise<void> {
    // Nobody jumps the queue: a request waits behind those of its priority or higher.
    const ahead = this.waiting.some((w) => p === 'background' || w.priority === 'interactive');
    if (!ahead && this.canSend(p)) {
      this.spend();
      return Promise.resolve();
    }
    const notice = heldNotice.getStore();
    // Held only until the first answers say what is left (FIRST_WAVE) is not a low budget: no notice.
    const known = this.counters.length > 0 || this.blockedFor(p) > this.now();
    if (notice && !notice.told && p === 'interactive' && known) {
      notice.told = true;
      notice.notify(this.expectedWaitMs());
    }
    return new Promise((resolve) => {
      this.waiting.push({ priority: p, resolve });
      this.schedule();
    });
  }

  /** An answer: what it says is left, less what is still on its way. */
  observe(remaining: number | undefined, sentSeq: number): void {
    this.pool.answered(this.kind);
    this.unmetered = remaining === undefined;
    if (remaining === undefined) return this.drain();
    this.pool.record(this.kind, remaining, sentSeq);
    // The other kind may draw on the same counter: its queue may move too.
    for (const b of this.pool.budgets) b.drain();
  }

  /**
   * A 429. With the budget's count in it (0), the budget is used up: nobody sends before its
   * Retry-After. Without, it is another throttle (ARM's own, or a fault): that request's retry
   * honours its Retry-After, and only background work holds back meanwhile.
   */
  throttled(retryAfterMs: number, budgetUsedUp: boolean): void {
    this.pool.answered(this.kind);
    const until = this.now() + retryAfterMs;
    if (budgetUsedUp) {
      this.blockedUntil = Math.max(this.blockedUntil, until);
      // The emptiest counter is the one that ran out (a new one if none is known yet).
      const empty = this.counters.reduce<Counter | undefined>(
        (low, c) => (!low || this.estimate(c) < this.estimate(low) ? c : low),
        undefined,
      );
      if (empty) Object.assign(empty, { remaining: -this.pool.inFlightOn(empty), observedAt: this.now() });
      else this.pool.record(this.kind, 0);
    } else {
      this.backgroundBlockedUntil = Math.max(this.backgroundBlockedUntil, until);
    }
    this.schedule();
  }

  /** A request that got no answer (a network error): it may or may not have been counted. */
  failed(): void {
    this.pool.answered(this.kind);
    this.drain();
  }

  /** What is left of a counter now: its last count, minus what was sent since, plus the assumed refill. */
  private estimate(c: Counter): number {
    return c.remaining + ((this.now() - c.observedAt) / 1000) * this.s.refillPerSecond;
  }

  /** What a request of priority `p` must find left on `c`: one above the floor, and above the reserve for background work. */
  private needed(p: RequestPriority, c: Counter): number {
    const floor = Math.ceil(c.highest * (this.s.floorShare ?? DEFAULT_FLOOR_SHARE));
    return 1 + floor + (p === 'background' ? this.s.reserve : 0);
  }

  /** How many requests short the neediest counter is (≤ 0: none). */
  private shortfall(p: RequestPriority): number {
    if (this.unmetered) return 0;
    // Until an answer says what is left, anyone may send the first wave (it learns the count).
    if (this.counters.length === 0) return 1 - (FIRST_WAVE - this.sentUnknown);
    return Math.max(...this.counters.map((c) => this.needed(p, c) - this.estimate(c)));
  }

  private blockedFor(p: RequestPriority): number {
    return p === 'background' ? Math.max(this.blockedUntil, this.backgroundBlockedUntil) : this.blockedUntil;
  }

  private canSend(p: RequestPriority): boolean {
    return this.now() >= this.blockedFor(p) && this.shortfall(p) <= 0;
  }

  private spend(): void {
    this.pool.sent(this.kind);
    if (this.counters.length === 0 && !this.unmetered) this.sentUnknown++;
    const now = this.now();
    // Any of them may be the one it draws on.
    for (const c of this.counters) {
      c.remaining = this.estimate(c) - 1;
      c.observedAt = now;
    }
  }

  /** How long a person's request that arrives now should expect to wait (ms), from the queue ahead and the refill. */
  private expectedWaitMs(): number {
    const ahead = this.waiting.filter((w) => w.priority === 'interactive').length;
    const short = this.shortfall('interactive') + ahead;
    const refill = this.s.refillPerSecond > 0 ? (Math.max(0, short) / this.s.refillPerSecond) * 1000 : 0;
    return Math.max(0, this.blockedFor('interactive') - this.now(), refill);
  }

  drain(): void {
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
    const blocked = this.blockedFor(first.priority) - this.now();
    // Before any count is known, the first wave's answers drain the queue; this is a fallback.
    const refill =
      this.counters.length === 0 || this.s.refillPerSecond <= 0
        ? 1000
        : (this.shortfall(first.priority) / this.s.refillPerSecond) * 1000;
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
    const pool = new CounterPool(now);
    this.jobs = new Budget(settings, now, pool, 'jobs');
    this.others = new Budget(settings, now, pool, 'others');
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
        const sentSeq = budget.answeredSoFar();
        let response: PipelineResponse;
        try {
          response = await next(request);
        } catch (e) {
          budget.failed();
          throw e;
        }
        const left = numberHeader(response, 'x-ms-ratelimit-remaining-subscription-resource-requests');
        if (response.status === 429) budget.throttled(retryAfterMs(response), left !== undefined);
        else budget.observe(left, sentSeq);
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
