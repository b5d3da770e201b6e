import { describe, expect, it } from 'vitest';
import { CoalescingUpdater } from '../../src/conversation/coalescing-updater.js';
import { sendPriority, sendingAs } from '../../src/conversation/send-priority.js';
import { SendRateLimiter, TEAMS_CONVERSATION_LIMITS } from '../../src/conversation/send-rate-limiter.js';

describe('SendRateLimiter', () => {
  it('keeps a conversation within 7 sends a second and 60 per 30 seconds, on a virtual clock', async () => {
    let now = 0;
    const limiter = new SendRateLimiter(
      TEAMS_CONVERSATION_LIMITS,
      () => now,
      async (ms) => void (now += ms),
    );
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      await limiter.acquire('conv-a');
      times.push(now);
    }
    for (let i = 0; i < times.length; i++) {
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 1_000).length).toBeLessThanOrEqual(7);
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 30_000).length).toBeLessThanOrEqual(60);
    }
    expect(times[59]).toBeLessThan(30_000);
    expect(times[60]).toBeGreaterThanOrEqual(30_000);
    await limiter.acquire('conv-b');
    expect(now).toBe(times[99]); // another conversation has its own budget
  });
});

describe('SendRateLimiter: answers before progress', () => {
  /** A limiter of 10 sends a minute on a virtual clock, and what it let through when. */
  function slackLike() {
    const clock = { now: 0 };
    const limiter = new SendRateLimiter(
      [{ perMs: 60_000, max: 10 }],
      () => clock.now,
      async (ms) => void (clock.now += ms),
    );
    return { clock, limiter };
  }

  it('lets progress use only part of a window, keeping the rest for answers', async () => {
    const { clock, limiter } = slackLike();
    const progressAt: number[] = [];
    for (let i = 0; i < 9; i++) {
      await sendingAs('progress', () => limiter.acquire('workspace'));
      progressAt.push(clock.now);
    }
    // 8 of 10 in the first minute; the 9th waits for the window to move on.
    expect(progressAt.filter((t) => t < 60_000)).toHaveLength(8);
    expect(progressAt[8]).toBeGreaterThanOrEqual(60_000);
    // Answers still have room in a window progress has filled.
    const { clock: c2, limiter: l2 } = slackLike();
    for (let i = 0; i < 8; i++) await sendingAs('progress', () => l2.acquire('workspace'));
    await l2.acquire('workspace');
    await l2.acquire('workspace');
    expect(c2.now).toBe(0);
  });

  it('lets a waiting progress send go at once when an answer for its message joins it', async () => {
    // The window is 10 a minute; progress has used its 8. Time stands still: only a raise helps.
    const limiter = new SendRateLimiter(
      [{ perMs: 60_000, max: 10 }],
      () => 0,
      () => new Promise<void>(() => undefined),
    );
    const sent: string[] = [];
    const u = new CoalescingUpdater<string>(
      async (key, read) => {
        await limiter.acquire('workspace');
        sent.push(`${key}:${read()}:${sendPriority()}`);
      },
      { classify: () => undefined },
    );
    for (let i = 0; i < 8; i++) await sendingAs('progress', () => u.update(`card-${i}`, 'transfer'));
    const progress = sendingAs('progress', () => u.update('card-8', 'transfer'));
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(8); // held: progress has no room left in this window
    const answer = u.update('card-8', 'refreshed'); // a person pressed Refresh on that card
    await Promise.all([progress, answer]);
    expect(sent.at(-1)).toBe('card-8:refreshed:answer');
    expect(sent).toHaveLength(9);
  });

  it('holds progress back while an answer waits for the same conversation', async () => {
    let now = 0;
    const wakes: (() => void)[] = [];
    const limiter = new SendRateLimiter(
      [{ perMs: 1_000, max: 2 }],
      () => now,
      (ms) =>
        new Promise<void>((r) =>
          wakes.push(() => {
            now = Math.max(now, ms);
            r();
          }),
        ),
    );
    await limiter.acquire('c');
    await limiter.acquire('c'); // the window is full
    const order: string[] = [];
    const progress = sendingAs('progress', () => limiter.acquire('c')).then(() => order.push('progress'));
    const answer = limiter.acquire('c').then(() => order.push('answer'));
    // Time moves on; whoever wakes first, the answer goes first.
    while (order.length < 2) {
      now += 1_000;
      for (const wake of wakes.splice(0)) wake();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all([progress, answer]);
    expect(order).toEqual(['answer', 'progress']);
  });
});

describe('CoalescingUpdater', () => {
  it("sends each value with its sender's priority, and an answer replacing waiting progress as an answer", async () => {
    const sent: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const u = new CoalescingUpdater<string>(
      async (key, read) => {
        const v = read();
        if (v === 'p1') await gate;
        sent.push(`${key}:${v}:${sendPriority()}`);
      },
      { classify: () => undefined },
    );
    void sendingAs('progress', () => u.update('m1', 'p1'));
    void sendingAs('progress', () => u.update('m1', 'p2'));
    void u.update('m1', 'a3'); // an answer replaces the waiting progress update
    void u.update('m2', 'a1');
    release();
    await u.idle();
    expect(sent.sort()).toEqual(['m1:a3:answer', 'm1:p1:progress', 'm2:a1:answer']);
  });

  it('sends one update at a time per message and only the newest waiting one', async () => {
    const sent: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const u = new CoalescingUpdater<string>(
      async (_key, read) => {
        const v = read();
        if (v === 'v1') await gate;
        sent.push(v);
      },
      { classify: () => undefined },
    );
    void u.update('m1', 'v1');
    void u.update('m1', 'v2');
    void u.update('m1', 'v3');
    release();
    await u.idle();
    expect(sent).toEqual(['v1', 'v3']);
  });

  it('sends the newest value when a send that waited its turn goes out: a backlog carries no stale view', async () => {
    const sent: string[] = [];
    let release!: () => void;
    const turn = new Promise<void>((r) => (release = r));
    const u = new CoalescingUpdater<string>(
      // As a channel does: wait for the rate limit, then read what to send.
      async (key, read) => {
        await turn;
        sent.push(`${key}:${read()}`);
      },
      { classify: () => undefined },
    );
    const first = u.update('m1', 'transfer');
    const second = u.update('m1', 'completed'); // queued while the first waits its turn
    release();
    await Promise.all([first, second]);
    await u.idle();
    expect(sent).toEqual(['m1:completed']);
  });

  it('retries throttled sends and delivers the final state', async () => {
    let failures = 2;
    const sent: string[] = [];
    const u = new CoalescingUpdater<string>(
      async (_key, read) => {
        if (failures-- > 0) throw Object.assign(new Error('429'), { statusCode: 429 });
        sent.push(read());
      },
      {
        classify: (e) =>
          (e as { statusCode?: number }).statusCode === 429 ? { retryAfterMs: 1 } : undefined,
        minDelayMs: 1,
      },
    );
    await u.update('m1', 'final');
    expect(sent).toEqual(['final']);
  });

  it('gives up on errors that are not retryable, and says so to the caller', async () => {
    const gaveUp: string[] = [];
    const u = new CoalescingUpdater<string>(
      async () => {
        throw Object.assign(new Error('403'), { statusCode: 403 });
      },
      { classify: () => undefined, onGiveUp: (key) => gaveUp.push(key) },
    );
    await expect(u.update('m1', 'x')).rejects.toThrow('403');
    expect(gaveUp).toEqual(['m1']);
    await u.idle();
  });

  it('stops retrying when stopped: a pause before a retry ends and the update is given up', async () => {
    let attempts = 0;
    let failed!: () => void;
    const firstFailure = new Promise<void>((r) => (failed = r));
    const u = new CoalescingUpdater<string>(
      async () => {
        attempts++;
        failed();
        throw Object.assign(new Error('503'), { statusCode: 503 });
      },
      // An hour's Retry-After: only stop() can end the pause in time for this test.
      { classify: () => ({ retryAfterMs: 3_600_000 }), maxDelayMs: 3_600_000 },
    );
    const update = u.update('m1', 'x');
    await firstFailure;
    u.stop();
    await expect(update).rejects.toThrow('503');
    await u.idle();
    expect(attempts).toBe(1);
  });
});
