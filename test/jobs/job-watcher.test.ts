import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { View } from '../../src/cards/views.js';
import { watchedJobView } from '../../src/chat/job-view.js';
import type { BackupJob } from '../../src/domain/index.js';
import type { ChatDefaults } from '../../src/chat/command.js';
import type { JobWatcherOptions } from '../../src/jobs/job-watcher.js';
import { JobWatcher } from '../../src/jobs/job-watcher.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { Watch } from '../../src/store/watch-store.js';
import { WatchStore } from '../../src/store/watch-store.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';
import { SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';

const defaults: ChatDefaults = {
  subscriptionId: SANDBOX_SUBSCRIPTION_ID,
  vaultName: 'rsv-westus',
  vaultResourceGroup: 'rg-chatops',
  portalLinks: false,
};

/** A watch of a job in the default vault, on message `id` of `platform`. */
function watchOf(jobId: string, id: number, platform = 'test', extras: Watch['extras'] = {}) {
  return {
    jobId,
    vaultName: 'rsv-westus',
    resourceGroup: 'rg-chatops',
    platform,
    messageRef: { id },
    extras,
  };
}

describe('JobWatcher', () => {
  let h: Harness;
  const updates: { watch: Watch; view: View }[] = [];
  /** Records the card the channel would show, made as the conversation makes it. */
  const record = async (watch: Watch, job: BackupJob, asOf: Date) =>
    void updates.push({ watch, view: watchedJobView(watch, job, defaults, asOf) });
  let store: WatchStore;
  let watcher: JobWatcher;
  let dbPath: string;

  beforeAll(async () => {
    h = await startHarness();
    dbPath = `/tmp/watcher-${process.pid}-${Date.now()}.db`;
    store = new WatchStore(await openDatabase(dbPath));
    watcher = new JobWatcher({
      service: h.service,
      store,
      defaultSubscription: defaults.subscriptionId,
      sinks: { test: record },
      intervalMs: 10,
      now: () => h.sandbox.clock.now(),
    });
  });
  afterAll(() => h.close());

  /** A watcher of its own, on a fresh store, the harness's clock and the shared update log. */
  const watcherWith = async (o: Partial<JobWatcherOptions> = {}) =>
    new JobWatcher({
      service: h.service,
      store: new WatchStore(await openDatabase(':memory:')),
      defaultSubscription: defaults.subscriptionId,
      sinks: { test: record },
      intervalMs: 10,
      now: () => h.sandbox.clock.now(),
      ...o,
    });

  const jobUpdates = (jobId: string) =>
    updates
      .filter((u) => u.watch.jobId === jobId)
      .map((u) => (u.view.kind === 'job' ? u.view.job : undefined));

  it('sends one update per phase change and one at the end, and nothing in between', async () => {
    const r = await h.service.backupNow({ vm: 'myVM' });
    await watcher.watch(watchOf(r.job.id, 1), r.job);
    expect((await watcher.pollOnce()).updates).toBe(0); // nothing changed since the card was posted
    h.advanceMinutes(4);
    expect((await watcher.pollOnce()).updates).toBe(0);
    h.advanceMinutes(4);
    const round = await watcher.pollOnce();
    expect(round.updates).toBe(1);
    expect(jobUpdates(r.job.id).at(-1)?.phases?.transfer.status).toBe('InProgress');
    h.advanceMinutes(10);
    expect((await watcher.pollOnce()).updates).toBe(0);
    h.advanceMinutes(30);
    const last = await watcher.pollOnce();
    expect(last).toMatchObject({ updates: 1, finished: 1 });
    expect(jobUpdates(r.job.id).at(-1)?.status).toBe('Completed');
    expect(jobUpdates(r.job.id)).toHaveLength(2);
    expect(await store.active()).toHaveLength(0);
  });

  it('reads a snapshot-phase job once a learnt snapshot time has passed, and lists a vault at most every 30 s', async () => {
    const a = await h.service.backupNow({ vm: 'myVM' });
    await watcher.watch(watchOf(a.job.id, 2), a.job);
    h.advanceMinutes(0.5);
    // The first test taught it that snapshots take 8 minutes: no detail read before then.
    expect(await watcher.pollOnce()).toMatchObject({ vaults: 1, listCalls: 1, detailCalls: 0 });
    h.advanceMinutes(6);
    expect(await watcher.pollOnce()).toMatchObject({ detailCalls: 0 });
    h.advanceMinutes(2);
    expect(await watcher.pollOnce()).toMatchObject({ detailCalls: 1, updates: 1 }); // the transfer started
    // 15 s after a list, none; 30 s after, the next.
    h.advanceMinutes(0.25);
    expect(await watcher.pollOnce()).toMatchObject({ listCalls: 0, detailCalls: 0, updates: 0 });
    h.advanceMinutes(0.25);
    expect(await watcher.pollOnce()).toMatchObject({ listCalls: 1, detailCalls: 0, updates: 0 });
    // The job ends (41 minutes in all): the next list shows it, and only then are details read.
    h.advanceMinutes(33);
    expect(await watcher.pollOnce()).toMatchObject({ listCalls: 1, detailCalls: 1, updates: 1, finished: 1 });
  });

  it('lists a vault again in the next round when a read of a change it showed failed', async () => {
    let failReads = 0;
    const service = Object.create(h.service, {
      getJob: {
        value: async (...args: Parameters<typeof h.service.getJob>) => {
          if (failReads-- > 0) throw new Error('throttled past every retry');
          return h.service.getJob(...args);
        },
      },
    }) as typeof h.service;
    const w = await watcherWith({ service });
    const r = await h.service.backupNow({ vm: 'myVM' });
    h.advanceMinutes(9);
    // Watched while it transfers: only the list shows its end.
    await w.watch(watchOf(r.job.id, 40), await h.service.getJob(r.job.id));
    h.advanceMinutes(60); // the job has ended
    failReads = 1;
    await expect(w.pollOnce()).rejects.toThrow(/throttled/);
    // The clock has not moved: without a new list, nothing would show the end again.
    expect(await w.pollOnce()).toMatchObject({ listCalls: 1, detailCalls: 1, updates: 1, finished: 1 });
  });

  it('reads only the oldest snapshot-phase job of a vault while no snapshot has been seen to end', async () => {
    const fresh = await watcherWith();
    const fleet = h.sandbox.addFleet({ prefix: 'probe', vms: 3 });
    for (const [i, f] of fleet.entries()) {
      const r = await h.service.backupNow({ vm: f.vm });
      await fresh.watch(watchOf(r.job.id, 10 + i), r.job);
      h.advanceMinutes(1);
    }
    // One read a round (the oldest), until the others are due for their occasional read.
    expect(await fresh.pollOnce()).toMatchObject({ detailCalls: 1, updates: 0 });
    expect(await fresh.pollOnce()).toMatchObject({ detailCalls: 1, updates: 0 });
    h.advanceMinutes(2); // the younger two are 4 and 3 minutes old: one is due
    expect(await fresh.pollOnce()).toMatchObject({ detailCalls: 2 });
    h.advanceMinutes(3); // the oldest's snapshot ends: learnt, the others are read when as old
    expect(await fresh.pollOnce()).toMatchObject({ updates: 1 });
    h.advanceMinutes(2);
    const round = await fresh.pollOnce();
    expect(round.updates).toBe(2);
  });

  it('counts a read as of when it was sent, so a snapshot that ends while the answer travels is read again', async () => {
    // The clock moves on while a read is answered (a throttled, retried request does this): the
    // state it shows is older than its arrival. Counting it as seen at arrival made a job older
    // than every learnt snapshot look freshly read, and on a slow clock it was never read again.
    let moveClockDuringRead = false;
    const service = Object.create(h.service, {
      getJob: {
        value: async (...args: Parameters<typeof h.service.getJob>) => {
          const job = await h.service.getJob(...args);
          if (moveClockDuringRead) {
            moveClockDuringRead = false;
            h.advanceMinutes(2);
          }
          return job;
        },
      },
    }) as typeof h.service;
    const slow = await watcherWith({
      service,
      // Learnt before: snapshots take 7 minutes (this one takes 8).
      durations: { load: async () => [7 * 60_000], add: async () => undefined },
    });
    const r = await h.service.backupNow({ vm: 'myVM' });
    await slow.watch(watchOf(r.job.id, 30), r.job);
    h.advanceMinutes(7.5);
    moveClockDuringRead = true;
    expect(await slow.pollOnce()).toMatchObject({ detailCalls: 1, updates: 0 }); // still snapshotting
    // The snapshot ended while that answer came back; the clock stands still from here on.
    const next = await slow.pollOnce();
    expect(next).toMatchObject({ detailCalls: 1, updates: 1 });
    expect(jobUpdates(r.job.id).at(-1)?.phases?.snapshot.status).toBe('Completed');
  });

  it('resumes watches after a restart from what the store kept', async () => {
    const r = await h.service.backupNow({ vm: 'myVM' });
    await watcher.watch(watchOf(r.job.id, 3, 'test', { retainUntil: '2027-01-01' }), r.job);
    // A new watcher on a new connection to the same database file: as after a restart.
    const restarted = new JobWatcher({
      service: h.service,
      store: new WatchStore(await openDatabase(dbPath)),
      defaultSubscription: defaults.subscriptionId,
      sinks: { test: record },
      intervalMs: 10,
      now: () => h.sandbox.clock.now(),
    });
    h.advanceMinutes(60);
    expect(await restarted.pollOnce()).toMatchObject({ updates: 1, finished: 1 });
    const view = updates.at(-1)?.view;
    expect(view?.kind === 'job' && view.retainUntil).toBe('2027-01-01');
  });

  it('sends an update the channel gave up again on the next round, so the final state arrives', async () => {
    const r = await h.service.backupNow({ vm: 'myVM' });
    let refuse = 2;
    const shown: BackupJob[] = [];
    const flaky = new JobWatcher({
      service: h.service,
      store,
      defaultSubscription: defaults.subscriptionId,
      sinks: {
        flaky: async (_watch, job) => {
          if (refuse-- > 0) throw new Error('the platform gave up');
          shown.push(job);
        },
      },
      intervalMs: 10,
      now: () => h.sandbox.clock.now(),
    });
    await flaky.watch(watchOf(r.job.id, 4, 'flaky'), r.job);
    h.advanceMinutes(60);
    expect(await flaky.pollOnce()).toMatchObject({ updates: 0, failedUpdates: 1, finished: 0 });
    expect(await flaky.pollOnce()).toMatchObject({ updates: 0, failedUpdates: 1, finished: 0 });
    expect(await flaky.pollOnce()).toMatchObject({ updates: 1, failedUpdates: 0, finished: 1 });
    expect(shown.map((j) => j.status)).toEqual(['Completed']);
    expect(await flaky.pollOnce()).toMatchObject({ vaults: 0, updates: 0 });
  });

  it("updates a restore's card task by task, although Azure's status stays InProgress until the end", async () => {
    const r = await h.service.restore({
      vm: 'myVM',
      point: { latest: true },
      kind: 'AlternateLocation',
      targetVmName: 'myVM-watched',
    });
    await watcher.watch(watchOf(r.job.id, 20), r.job);
    expect((await watcher.pollOnce()).updates).toBe(0);
    h.advanceMinutes(70 / 60); // the recorded transfer (65 s) is over; the VM is being created
    expect((await watcher.pollOnce()).updates).toBe(1);
    const middle = jobUpdates(r.job.id).at(-1)!;
    expect(middle.status).toBe('InProgress');
    expect(middle.tasks?.map((t) => t.status)).toEqual(['Completed', 'InProgress']);
    h.advanceMinutes(2);
    expect(await watcher.pollOnce()).toMatchObject({ updates: 1, finished: 1 });
    expect(jobUpdates(r.job.id).at(-1)?.status).toBe('Completed');
    expect(jobUpdates(r.job.id)).toHaveLength(2);
  });
});
