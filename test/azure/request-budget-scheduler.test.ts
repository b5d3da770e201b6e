import type { PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  RequestBudgetScheduler,
  inBackground,
  onBudgetHold,
} from '../../src/azure/request-budget-scheduler.js';

const JOBS =
  'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupJobs/j1';
const ITEMS =
  'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupProtectedItems';

/** A fake Recovery Services counter: each request takes one, refilled per simulated second. */
class FakeCounter {
  lowest: number;
  constructor(
    public left: number,
    private readonly refillPerSecond = 0,
    private at = Date.now(),
  ) {
    this.lowest = left;
  }
  take(): number {
    const now = Date.now();
    this.left += ((now - this.at) / 1000) * this.refillPerSecond;
    this.at = now;
    this.left -= 1;
    this.lowest = Math.min(this.lowest, this.left);
    return Math.floor(this.left);
  }
}

function responder(counterFor: () => FakeCounter): SendRequest {
  return (request: PipelineRequest) => {
    const left = counterFor().take();
    return Promise.resolve({
      request,
      status: 200,
      headers: {
        get: (name: string) =>
          name === 'x-ms-ratelimit-remaining-subscription-resource-requests' ? String(left) : undefined,
      },
    } as unknown as PipelineResponse);
  };
}

describe('RequestBudgetScheduler', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-12-02T10:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  const request = { url: ITEMS } as PipelineRequest;

  it("holds people's commands above a fifth of the count Azure reported: queued, then all sent", async () => {
    const policy = new RequestBudgetScheduler({ reserve: 5, refillPerSecond: 2 }).policy();
    const counter = new FakeCounter(100, 2);
    const next = responder(() => counter);
    await policy.sendRequest(request, next); // learns the count: 99 of (at least) 99
    let done = 0;
    const all = Array.from({ length: 120 }, () => policy.sendRequest(request, next).then(() => done++));
    await vi.advanceTimersByTimeAsync(0);
    // 99 − 20 (the floor) = 79 go at once; the rest wait for the refill, none fails.
    expect(done).toBeGreaterThanOrEqual(75);
    expect(done).toBeLessThan(120);
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(all);
    expect(done).toBe(120);
    expect(counter.lowest).toBeGreaterThanOrEqual(Math.ceil(99 * 0.2) - 1);
  });

  it('keeps the reserve for people: background work stops above floor and reserve', async () => {
    const policy = new RequestBudgetScheduler({ reserve: 10, refillPerSecond: 0 }).policy();
    const counter = new FakeCounter(100);
    const next = responder(() => counter);
    await policy.sendRequest(request, next);
    let done = 0;
    void Array.from({ length: 100 }, () =>
      inBackground(() => policy.sendRequest(request, next)).then(() => done++),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    expect(counter.lowest).toBeGreaterThanOrEqual(20 + 10 - 1);
    expect(done).toBeLessThan(100);
    // A person still gets through.
    await policy.sendRequest(request, next);
  });

  it('does not stall people when two counters answer in turn (149 and 1,099, as recorded)', async () => {
    const policy = new RequestBudgetScheduler({ reserve: 30, refillPerSecond: 1 }).policy();
    const small = new FakeCounter(150);
    const large = new FakeCounter(1100);
    let n = 0;
    const next = responder(() => (n++ % 2 === 0 ? large : small));
    // One after another with the clock stopped: nothing may wait for a refill.
    for (let i = 0; i < 40; i++) await policy.sendRequest(request, next);
    expect(n).toBe(40);
    // Each counter keeps its own floor: the small one is not drawn below a fifth of 149.
    const more = Array.from({ length: 200 }, () => policy.sendRequest(request, next));
    await vi.advanceTimersByTimeAsync(0);
    expect(small.lowest).toBeGreaterThanOrEqual(Math.ceil(149 * 0.2) - 1);
    await vi.advanceTimersByTimeAsync(600_000);
    await Promise.all(more);
  });

  it('keeps the floor when job reads and the rest spend one count (the sandbox, the 2022 sessions)', async () => {
    const policy = new RequestBudgetScheduler({ reserve: 5, refillPerSecond: 1 }).policy();
    const counter = new FakeCounter(200, 5);
    const next = responder(() => counter);
    await policy.sendRequest(request, next);
    await policy.sendRequest({ url: JOBS } as PipelineRequest, next);
    const mixed = Array.from({ length: 300 }, (_, i) =>
      policy.sendRequest(i % 2 ? request : ({ url: JOBS } as PipelineRequest), next),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(counter.lowest).toBeGreaterThanOrEqual(Math.ceil(199 * 0.2) - 1);
    await vi.advanceTimersByTimeAsync(600_000);
    await Promise.all(mixed);
  });

  it('lets the rest go on while job reads wait on a count of their own (2026: 249 and 1,099)', async () => {
    const policy = new RequestBudgetScheduler({ reserve: 5, refillPerSecond: 0 }).policy();
    const jobs = new FakeCounter(250);
    const others = new FakeCounter(1100);
    const next: SendRequest = (r) => responder(() => (r.url === JOBS ? jobs : others))(r);
    await policy.sendRequest(request, next);
    await policy.sendRequest({ url: JOBS } as PipelineRequest, next);
    // Job reads spend their count down to its floor (50 of 249) and wait there…
    let jobsDone = 0;
    void Array.from({ length: 400 }, () =>
      policy.sendRequest({ url: JOBS } as PipelineRequest, next).then(() => jobsDone++),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(jobsDone).toBeLessThan(400);
    expect(jobs.lowest).toBeGreaterThanOrEqual(Math.ceil(249 * 0.2) - 1);
    // …while other requests still go through at once.
    for (let i = 0; i < 50; i++) await policy.sendRequest(request, next);
    expect(others.left).toBeLessThan(1100 - 50);
  });

  it('is not fooled by answers that overtake each other (a count read before others were taken)', async () => {
    const policy = new RequestBudgetScheduler({ reserve: 0, refillPerSecond: 0 }).policy();
    const counter = new FakeCounter(50);
    const now = responder(() => counter);
    await policy.sendRequest(request, now); // 49 left: the floor is 10
    // 38 requests counted in the order sent (48 … 11 left), answered in the reverse order.
    const held: (() => void)[] = [];
    const later: SendRequest = (r) =>
      now(r).then(
        (response) => new Promise<PipelineResponse>((resolve) => held.push(() => resolve(response))),
      );
    const batch = Array.from({ length: 38 }, () => policy.sendRequest(request, later));
    await vi.advanceTimersByTimeAsync(0);
    expect(held).toHaveLength(38);
    for (const answer of held.reverse()) {
      answer();
      await vi.advanceTimersByTimeAsync(0);
    }
    await Promise.all(batch);
    // The last answer read 48, but 37 answers that overtook it read less: 11 are left, not 48.
    let done = 0;
    void Array.from({ length: 5 }, () => policy.sendRequest(request, now).then(() => done++));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(1);
    expect(counter.lowest).toBeGreaterThanOrEqual(10);
  });

  it('says nothing to commands held only until the first answers say what is left', async () => {
    const policy = new RequestBudgetScheduler({ reserve: 5, refillPerSecond: 2 }).policy();
    const counter = new FakeCounter(50_000, 2);
    const held: (() => void)[] = [];
    const later = (r: PipelineRequest) =>
      new Promise<PipelineResponse>((resolve) =>
        held.push(() => void responder(() => counter)(r).then(resolve)),
      );
    const waits: number[] = [];
    const commands = Array.from({ length: 10 }, () =>
      onBudgetHold(
        (ms) => waits.push(ms),
        () => policy.sendRequest(request, later),
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    // The first wave is out, the rest wait for its answers: no budget is known to be low.
    expect(held.length).toBeLessThan(10);
    while (held.length > 0) {
      held.shift()!();
      await vi.advanceTimersByTimeAsync(0);
    }
    await Promise.all(commands);
    expect(waits).toEqual([]);
  });

  it('tells a held command once how long it should wait, and says nothing when it is not held', async () => {
    const policy = new RequestBudgetScheduler({ reserve: 5, refillPerSecond: 2 }).policy();
    const counter = new FakeCounter(50, 2);
    const next = responder(() => counter);
    const waits: number[] = [];
    await onBudgetHold(
      (ms) => waits.push(ms),
      () => policy.sendRequest(request, next),
    );
    expect(waits).toEqual([]);
    // Spend down to the floor (10 of 49), then a command needs three more.
    await Promise.all(Array.from({ length: 39 }, () => policy.sendRequest(request, next)));
    const command = onBudgetHold(
      (ms) => waits.push(ms),
      async () => {
        await policy.sendRequest(request, next);
        await policy.sendRequest(request, next);
      },
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(2_000);
    await vi.advanceTimersByTimeAsync(10_000);
    await command;
    expect(waits).toHaveLength(1);
  });
});
