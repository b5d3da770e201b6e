import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupJob } from '../../src/domain/index.js';
import { parsePolicyPhrase } from '../../src/chat/phrases/policy-phrase.js';
import { JobWatcher } from '../../src/jobs/job-watcher.js';
import { SANDBOX_SECOND_SUBSCRIPTION as EAST, SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';
import { openDatabase } from '../../src/store/open-database.js';
import { VaultLeases, vaultLeaseKey } from '../../src/store/vault-leases.js';
import type { Watch } from '../../src/store/watch-store.js';
import { WatchStore } from '../../src/store/watch-store.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness, TWO_SUBSCRIPTIONS } from '../azure/service-harness.js';

/**
 * Issue 18: two subscriptions may each hold a vault of the same name in a resource group of the
 * same name. Their watched jobs are two vaults to the JobWatcher — two leases, each polled in its own
 * subscription — on the real SDK clients against the sandbox's two subscriptions.
 */
describe('JobWatcher over same-named vaults of two subscriptions', () => {
  let h: Harness;
  const WEST = SANDBOX_SUBSCRIPTION_ID;
  const vault = { vault: EAST.vaultName, resourceGroup: EAST.vaultResourceGroup };

  beforeAll(async () => {
    h = await startHarness({}, TWO_SUBSCRIPTIONS);
    // The first subscription gets rg-backup-east/rsv-eastus too, protecting its own eastus VM.
    h.sandbox.world.resourceGroups.set(EAST.vaultResourceGroup, {
      name: EAST.vaultResourceGroup,
      location: 'eastus',
    });
    await h.service.createVault({ name: EAST.vaultName, location: 'eastus', ...vault, subscription: WEST });
    const inWest = { ...vault, subscription: WEST };
    await h.service.createPolicy(
      parsePolicyPhrase('nightly', 'standard daily at 22:00 keep daily 30 days'),
      inWest,
    );
    await h.service.enableProtection({ vm: 'db-eastus-01', policy: 'nightly', ...inWest });
  });
  afterAll(() => h.close());

  it('holds one lease per subscription and reads each job in its own subscription', async () => {
    const west = await h.service.backupNow({ vm: 'db-eastus-01', ...vault, subscription: WEST });
    const east = await h.service.backupNow({ vm: 'app-east-01', ...vault, subscription: EAST.id });
    expect(west.job.vaultSubscription).toBe(WEST);
    expect(east.job.vaultSubscription).toBe(EAST.id);

    const db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'watcher-subs-')), 'bot.db'));
    const sent: { jobId: string; vm: string }[] = [];
    const watcher = new JobWatcher({
      service: h.service,
      store: new WatchStore(db),
      // The subscription of watches stored without one: the first, as the bot configures it.
      defaultSubscription: SANDBOX_SUBSCRIPTION_ID,
      sinks: {
        test: async (w: Watch, job: BackupJob) => {
          sent.push({ jobId: w.jobId, vm: job.vmName });
        },
      },
      intervalMs: 10,
      now: () => h.sandbox.clock.now(),
      leases: new VaultLeases({ db, replicaId: 'replica-a', ttlMs: 60_000 }),
    });
    for (const [i, job] of [west.job, east.job].entries()) {
      await watcher.watch({
        jobId: job.id,
        vaultName: job.vaultName,
        resourceGroup: job.vaultResourceGroup!,
        subscription: job.vaultSubscription!,
        platform: 'test',
        messageRef: { id: i },
        extras: {},
      });
    }
    const stats = await watcher.pollOnce();
    expect(stats.vaults).toBe(2);
    const leases = await db.selectFrom('vault_leases').select('vault_key').execute();
    expect(leases.map((l) => l.vault_key).sort()).toEqual(
      [WEST, EAST.id].map((s) => vaultLeaseKey({ ...vault, vaultName: vault.vault, subscription: s })).sort(),
    );
    // Each card got its own job, read in its own subscription.
    expect(sent).toEqual(
      expect.arrayContaining([
        { jobId: west.job.id, vm: 'db-eastus-01' },
        { jobId: east.job.id, vm: 'app-east-01' },
      ]),
    );
    await db.destroy();
  });

  it('reads a watch stored before subscriptions were kept in the first subscription, though another has a vault of its name', async () => {
    h.advanceMinutes(60); // the first test's backup of the VM is over
    const west = await h.service.backupNow({ vm: 'db-eastus-01', ...vault, subscription: WEST });
    const db = await openDatabase(':memory:');
    const sent: string[] = [];
    const watcher = new JobWatcher({
      service: h.service,
      store: new WatchStore(db),
      // The subscription of watches stored without one: the first, as the bot configures it.
      defaultSubscription: SANDBOX_SUBSCRIPTION_ID,
      sinks: { test: async (w: Watch) => void sent.push(w.jobId) },
      intervalMs: 10,
      now: () => h.sandbox.clock.now(),
    });
    // As a row from before migration 012: no subscription.
    await watcher.watch({
      jobId: west.job.id,
      vaultName: vault.vault,
      resourceGroup: vault.resourceGroup,
      platform: 'test',
      messageRef: { id: 'old-row' },
      extras: {},
    });
    const stats = await watcher.pollOnce();
    expect(stats).toMatchObject({ vaults: 1, listCalls: 1, updates: 1 });
    expect(sent).toEqual([west.job.id]);
    await db.destroy();
  });

  it('keys a vault by subscription, and keeps the older key for a vault known without one', () => {
    const v = { vaultName: 'RSV-EastUS', resourceGroup: 'RG-Backup-East' };
    expect(vaultLeaseKey({ ...v, subscription: 'SUB-1' })).toBe('sub-1/rg-backup-east/rsv-eastus');
    expect(vaultLeaseKey({ ...v, subscription: 'sub-2' })).not.toBe(
      vaultLeaseKey({ ...v, subscription: 'sub-1' }),
    );
    expect(vaultLeaseKey(v)).toBe('rg-backup-east/rsv-eastus');
  });
});
