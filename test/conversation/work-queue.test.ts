import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../src/conversation/work-queue.js';

describe('WorkQueue', () => {
  it('runs at most its concurrency at once, the rest in arrival order', async () => {
    const q = new WorkQueue(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        q.run(async () => {
          started.push(i);
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return i * 10;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('passes a task’s failure to its caller and goes on with the next', async () => {
    const q = new WorkQueue(1);
    const failed = q.run(async () => {
      throw new Error('boom');
    });
    const next = q.run(async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('once stopped starts nothing more, and says when the tasks under way are done', async () => {
    const q = new WorkQueue(1);
    let finish!: () => void;
    const started: string[] = [];
    void q.run(async () => {
      started.push('running');
      await new Promise<void>((r) => (finish = r));
    });
    void q.run(async () => void started.push('waiting'));
    await new Promise((r) => setImmediate(r));
    q.stop();
    void q.run(async () => void started.push('after stop'));
    let idle = false;
    const whenIdle = q.idle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    finish();
    await whenIdle;
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['running']);
  });
});
