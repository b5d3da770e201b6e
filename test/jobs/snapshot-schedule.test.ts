import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobWatcher } from '../../src/jobs/job-watcher.js';
import type { JobWatcherOptions } from '../../src/jobs/job-watcher.js';
import { LearntDurations } from '../../src/jobs/learnt-durations.js';
import { LearntDurationStore } from '../../src/store/learnt-duration-store.js';
import { openDatabase } from '../../src/store/open-database.js';
import { WatchStore } from '../../src/store/watch-store.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';
import { SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';

const MIN = 60_000;
describe('LearntDurations', () => {
  it('gives, with no snapshot running, the empirical chance that a snapshot past one age has ended by another', () => {
    const d = new LearntDurations();
    for (const m of [10, 2, 8, 4, 6]) d.add(m * MIN);
    expect(d.withRunning([]).chanceEndedBy(0, 1 * MIN)).toBeCloseTo(0, 12);
    expect(d.withRunning([]).chanceEndedBy(0, 4 * MIN)).toBeCloseTo(2 / 5, 12);
    expect(d.withRunning([]).chanceEndedBy(4 * MIN, 6 * MIN)).toBeCloseTo(1 / 3, 12);
    expect(d.withRunning([]).chanceEndedBy(6 * MIN, 10 * MIN)).toBeCloseTo(1, 12);
    // Older than all of them: the durations say nothing.
    expect(d.withRunning([]).chanceEndedBy(10 * MIN, 20 * MIN)).toBeUndefined();
  });

  it('forgets the oldest durations beyond its capacity', () => {
    const d = new LearntDurations(3);
    for (const m of [1, 2, 3, 4, 5]) d.add(m * MIN);
    expect(d.size).toBe(3);
    expect(d.withRunning([]).chanceEndedBy(0, 2 * MIN)).toBeCloseTo(0, 12);
    expect(d.withRunning([]).chanceEndedBy(0, 3 * MIN)).toBeCloseTo(1 / 3, 12);
  });
});

describe('the snapshot-phase schedule', () => {
  let h: Harness;
  let vm = 0;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function watcherOn(dbPath: string, o: Partial<JobWatcherOptions> = {}): Promise<JobWatcher> {
    const db = await openDatabase(dbPath);
    return new JobWatcher({
      service: h.service,
      store: new WatchStore(db),
      durations: new LearntDurationStore(db),
      defaultSubscription: SANDBOX_SUBSCRIPTION_ID,
      sinks: { test: async () => undefined },
      intervalMs: 10,
      now: () => h.sandbox.clock.now(),
      ...o,
    });
  }

  /** Starts an 8-minute-snapshot backup of a VM of its own and watches it. */
  async function watched(w: JobWatcher): Promise<string> {
    const [f] = h.sandbox.addFleet({ prefix: `sched${vm++}`, vms: 1 });
    const r = await h.service.backupNow({ vm: f!.vm });
    await w.watch(
      {
        jobId: r.job.id,
        vaultName: 'rsv-westus',
        resourceGroup: 'rg-chatops',
        platform: 'test',
        messageRef: { id: r.job.id },
        extras: {},
      },
      r.job,
    );
    return r.job.id;
  }

  /** Detail reads in each of `minutes` one-minute rounds. */
  async function readsPerMinute(w: JobWatcher, minutes: number): Promise<number[]> {
    const reads: number[] = [];
    for (let m = 1; m <= minutes; m++) {
      h.advanceMinutes(1);
      reads.push((await w.pollOnce()).detailCalls);
    }
    return reads;
  }

  it('reads a job when the learnt durations give its snapshot a fair chance of having ended since the last read', async () => {
    const db = `/tmp/schedule-${process.pid}-${Date.now()}-a.db`;
    await new LearntDurationStore(await openDatabase(db)).add(
      'snapshot',
      [2, 4, 6, 8, 10].map((m) => m * MIN),
      new Date(),
    );
    // A long longest gap: the hazard alone decides.
    const w = await watcherOn(db, { snapshotReadChance: 0.3, snapshotMaxGapMs: 60 * MIN });
    await watched(w);
    // From 0: 2/5 by minute 4. From 4: 1/3 by minute 6. From 6: 1/2 by minute 8, when it ends.
    expect(await readsPerMinute(w, 9)).toEqual([0, 0, 0, 1, 0, 1, 0, 1, 0]);
  });

  it('reads a job whose snapshot may have ended at least every longest gap, and never where no snapshot ended', async () => {
    const learnt = async (name: string): Promise<string> => {
      const db = `/tmp/schedule-${process.pid}-${Date.now()}-${name}.db`;
      await new LearntDurationStore(await openDatabase(db)).add(
        'snapshot',
        [2, 9, 20, 30, 40, 50, 60, 70, 80, 90].map((m) => m * MIN),
        new Date(),
      );
      return db;
    };
    // The hazard alone (a chance of 1/2) would wait until minute 50: no read in 9 minutes.
    const hazardOnly = await watcherOn(await learnt('hazard'), {
      snapshotReadChance: 0.5,
      snapshotMaxGapMs: 60 * MIN,
    });
    await watched(hazardOnly);
    expect(await readsPerMinute(hazardOnly, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // With a 3-minute gap: read at 3 (1 in 10 ended by then); not at 6, since none of the learnt
    // snapshots ended between 3 and 6; at 9 (1 in 9 did), seeing this 8-minute snapshot's end.
    const capped = await watcherOn(await learnt('capped'), {
      snapshotReadChance: 0.5,
      snapshotMaxGapMs: 3 * MIN,
    });
    await watched(capped);
    expect(await readsPerMinute(capped, 9)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('counts snapshots still running in the estimate, so one short learnt snapshot does not make every job look due', async () => {
    const db = `/tmp/schedule-${process.pid}-${Date.now()}-km.db`;
    // One snapshot seen to end, at 5 minutes; this estate's take 8.
    await new LearntDurationStore(await openDatabase(db)).add('snapshot', [5 * MIN], new Date());
    const reads: { id: string; minute: number }[] = [];
    let minute = 0;
    const service = Object.create(h.service, {
      getJob: {
        value: (...args: Parameters<typeof h.service.getJob>) => {
          reads.push({ id: args[0], minute });
          return h.service.getJob(...args);
        },
      },
    }) as typeof h.service;
    const w = await watcherOn(db, { service, snapshotReadChance: 0.4, snapshotMaxGapMs: 60 * MIN });
    const early = [await watched(w), await watched(w), await watched(w)];
    let late = '';
    for (minute = 1; minute <= 10; minute++) {
      h.advanceMinutes(1);
      if (minute === 2) late = await watched(w);
      await w.pollOnce();
    }
    const minutesOf = (id: string) => reads.filter((r) => r.id === id).map((r) => r.minute);
    // The early three: at 5 (the learnt time), then older than anything seen to end, every 2 min.
    for (const id of early) expect(minutesOf(id)).toEqual([5, 7, 9]);
    // Seen running at 5, they put the chance of ending by 5 at 1 in 4, not the 1 in 1 the ended
    // snapshot alone gives: the late job is not read at age 5 (minute 7), but once the early
    // three have ended at 8 — at its own 8 minutes, when its snapshot ends.
    expect(minutesOf(late)).toEqual([10]);
  });

  it('keeps what it learnt across a restart: the next job is read at the learnt time, without probing', async () => {
    const db = `/tmp/schedule-${process.pid}-${Date.now()}-b.db`;
    const first = await watcherOn(db);
    await watched(first);
    // Nothing learnt yet: the job, its vault's oldest, is probed every round until it ends.
    expect(await readsPerMinute(first, 8)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);

    // A new process on the same database.
    const restarted = await watcherOn(db);
    await watched(restarted);
    expect(await readsPerMinute(restarted, 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);

    // Without the store, the same restart would probe again.
    const forgetful = await watcherOn(':memory:', { durations: undefined });
    await watched(forgetful);
    expect((await readsPerMinute(forgetful, 1))[0]).toBe(1);
  });

  it('keeps only the newest durations in the store', async () => {
    const store = new LearntDurationStore(await openDatabase(':memory:'), 3);
    await store.add('snapshot', [1, 2], new Date());
    await store.add('snapshot', [3, 4, 5], new Date());
    await store.add('other', [9], new Date());
    expect(await store.load('snapshot')).toEqual([3, 4, 5]);
  });
});
