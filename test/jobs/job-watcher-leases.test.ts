import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BackupService } from '../../src/azure/backup-service.js';
import type { BackupJob } from '../../src/domain/index.js';
import { JobWatcher } from '../../src/jobs/job-watcher.js';
import { openDatabase } from '../../src/store/open-database.js';
import { VaultLeases } from '../../src/store/vault-leases.js';
import type { Watch } from '../../src/store/watch-store.js';
import { WatchStore } from '../../src/store/watch-store.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';
import { until } from '../support/until.js';
import { SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';

/**
 * Two replicas' watchers sharing one vault by lease (the replicas end-to-end test, reduced to the
 * moment it went wrong): a replica whose work on a vault outlasts its lease must not let the other
 * send the same card update. The leases run on a wall clock the test moves (`t`), so "longer than
 * the lease" does not depend on how fast this machine is.
 */
const TTL_MS = 1_000;
const VAULT = 'rg-chatops/rsv-westus';
interface Sent {
  by: string;
  jobId: string;
  stage: string;
}

/** A promise and the function that settles it: a step of the test another step waits for. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('JobWatcher on leases (several replicas)', () => {
  let h: Harness;
  let dbPath: string;
  let t = new Date('2026-12-01T10:00:00Z');
  const sent: Sent[] = [];
  let messageId = 0;

  beforeAll(async () => {
    h = await startHarness();
  });
  // Each test its own database: two replicas and nothing left over from the other test.
  beforeEach(() => {
    dbPath = join(mkdtempSync(join(tmpdir(), 'watcher-leases-')), 'bot.db');
  });
  afterAll(() => h.close());

  /** One replica: its own connection, leases on the test's wall clock, and a sink that may wait. */
  async function replica(
    name: string,
    o: { renewEveryMs?: number; service?: BackupService; beforeSend?: () => Promise<void> } = {},
  ) {
    const db = await openDatabase(dbPath);
    const leases = new VaultLeases({
      db,
      replicaId: name,
      ttlMs: TTL_MS,
      now: () => t,
      ...(o.renewEveryMs ? { renewEveryMs: o.renewEveryMs } : {}),
    });
    const watcher = new JobWatcher({
      service: o.service ?? h.service,
      store: new WatchStore(db),
      defaultSubscription: SANDBOX_SUBSCRIPTION_ID,
      sinks: {
        test: async (watch: Watch, job: BackupJob) => {
          await o.beforeSend?.();
          sent.push({ by: name, jobId: watch.jobId, stage: job.phases?.transfer.status ?? '?' });
        },
      },
      intervalMs: 10,
      now: () => h.sandbox.clock.now(),
      leases,
    });
    return { watcher, leases, db };
  }

  /** A backup of myVM watched on a new message, its snapshot just ended (the next update: transfer). */
  async function jobInTransfer(w: JobWatcher): Promise<string> {
    h.advanceMinutes(120); // the earlier test's backup has ended: this one's transfer will run
    const r = await h.service.backupNow({ vm: 'myVM' });
    await w.watch(
      {
        jobId: r.job.id,
        vaultName: 'rsv-westus',
        resourceGroup: 'rg-chatops',
        platform: 'test',
        messageRef: { id: ++messageId },
        extras: {},
      },
      r.job,
    );
    h.advanceMinutes(9);
    return r.job.id;
  }

  const sendsOf = (jobId: string) => sent.filter((s) => s.jobId === jobId);

  it('keeps its lease while a slow card update is under way, so the other replica sends nothing twice', async () => {
    const slow = gate();
    const reached = gate();
    const a = await replica('replica-a', {
      renewEveryMs: 10,
      beforeSend: async () => {
        reached.open();
        await slow.opened;
      },
    });
    const b = await replica('replica-b');
    const jobId = await jobInTransfer(a.watcher);
    await b.leases.claimShare([]); // B is alive (its heartbeat) and holds nothing yet
    const roundA = a.watcher.pollOnce();
    await reached.opened; // A is sending the transfer update; the platform is slow
    const expiresAt = async () =>
      (
        await a.db
          .selectFrom('vault_leases')
          .select(['holder', 'expires_at'])
          .where('vault_key', '=', VAULT)
          .executeTakeFirst()
      )?.expires_at;
    // Time passes, three lease terms in all; A, alive, keeps renewing as it goes.
    for (let step = 0; step < 6; step++) {
      t = new Date(t.getTime() + TTL_MS / 2);
      const renewedTo = new Date(t.getTime() + TTL_MS).toISOString();
      await until(
        `replica A renewing its lease while its update is under way (t=${t.toISOString()})`,
        async () => ((await expiresAt()) === renewedTo ? true : undefined),
      );
      expect((await b.watcher.pollOnce()).updates).toBe(0);
    }
    slow.open();
    await roundA;
    expect(sendsOf(jobId)).toEqual([{ by: 'replica-a', jobId, stage: 'InProgress' }]);
    await a.leases.releaseAll();
    await b.leases.releaseAll();
  });

  it('sends nothing for a vault whose lease it lost while reading, however it lost it', async () => {
    // A stalls (a frozen process: it does not even renew) while reading the job; its lease expires,
    // B takes the vault and updates the card; then A wakes up and must leave the card to B.
    const readGate = gate();
    const reading = gate();
    const stalled = new Proxy(h.service, {
      get(target, prop, receiver) {
        if (prop !== 'getJob') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: Parameters<BackupService['getJob']>) => {
          reading.open();
          await readGate.opened;
          return target.getJob(...args);
        };
      },
    });
    const a = await replica('replica-a', { renewEveryMs: 3_600_000, service: stalled });
    const b = await replica('replica-b');
    const jobId = await jobInTransfer(a.watcher);
    await b.leases.claimShare([]);
    const roundA = a.watcher.pollOnce();
    await reading.opened;
    t = new Date(t.getTime() + TTL_MS + 1);
    expect((await b.watcher.pollOnce()).updates).toBe(1);
    readGate.open();
    await roundA;
    expect(sendsOf(jobId)).toEqual([{ by: 'replica-b', jobId, stage: 'InProgress' }]);
    await a.leases.releaseAll();
    await b.leases.releaseAll();
  });
});
