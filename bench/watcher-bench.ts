/**
 * `npm run bench`: the JobWatcher against the sandbox with 1,000 backup jobs in 20 vaults over one
 * simulated hour, beside a naive watcher that reads every running job's details every 30 s. Prints
 * ARM reads (total, per minute, share of ARM's 25 reads/s), phase-change-to-update latency
 * p50/p95/max, updates sent vs phase changes, and RSS. Both watchers watch the same jobs on the
 * same simulated clock; each one's reads are counted around its own polling.
 */
import { createBackupService } from '../src/azure/create-backup-service.js';
import type { View } from '../src/cards/views.js';
import { loadConfig } from '../src/config.js';
import type { BackupJob } from '../src/domain/index.js';
import { JobWatcher, fingerprintOf } from '../src/jobs/job-watcher.js';
import { startSandbox } from '../src/sandbox/server.js';
import { openDatabase } from '../src/store/open-database.js';
import { WatchStore } from '../src/store/watch-store.js';

const VAULTS = 20;
const VMS_PER_VAULT = 50;
const STEP_S = 5;
const HOUR_S = 3600;
const WATCH_EVERY_S = 15; // the product watcher's interval
const NAIVE_EVERY_S = 30;
const STAGGER_S = 600; // jobs start over the first ten minutes

const sandbox = await startSandbox({
  clockSpeed: 0,
  asyncRetryAfterSeconds: 0,
  rateLimit: false,
  jobPageSize: 200,
});
const { world, clock } = sandbox;
const vmNames = sandbox
  .addFleet({ prefix: 'bench', vms: VAULTS * VMS_PER_VAULT, vaults: VAULTS })
  .map((f) => ({ vm: f.vm, vault: f.vault, rg: f.resourceGroup }));

const azure = { ...loadConfig({}).azure, retry: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 50 } };
const service = createBackupService({ azure, sandbox, now: () => clock.now() });
const defaults = {
  subscriptionId: azure.subscriptionId,
  vaultName: 'x',
  vaultResourceGroup: 'x',
  portalLinks: false,
};
const requests = () => sandbox.faults.stats().requests;

interface Update {
  jobId: string;
  fingerprint: string;
  at: number;
}
const productUpdates: Update[] = [];
const watcher = new JobWatcher({
  service,
  store: new WatchStore(await openDatabase(':memory:')),
  defaults,
  sinks: {
    bench: async (w, view: View) => {
      if (view.kind === 'job')
        productUpdates.push({
          jobId: w.jobId,
          fingerprint: fingerprintOf(view.job),
          at: clock.now().getTime(),
        });
    },
  },
  intervalMs: WATCH_EVERY_S * 1000,
  now: () => clock.now(),
});

/** The naive watcher: every running job's details every 30 s; an update whenever what it shows changed. */
const naive = new Map<string, { vault: string; rg: string; fingerprint: string; done: boolean }>();
const naiveUpdates: Update[] = [];
async function naiveRound(): Promise<void> {
  await Promise.all(
    [...naive.entries()]
      .filter(([, s]) => !s.done)
      .map(async ([id, s]) => {
        const job = await service.getJob(id, { vault: s.vault, resourceGroup: s.rg });
        const f = fingerprintOf(job);
        if (f !== s.fingerprint) naiveUpdates.push({ jobId: id, fingerprint: f, at: clock.now().getTime() });
        s.fingerprint = f;
        s.done = job.status !== 'InProgress';
      }),
  );
}

const started: { id: string; vault: string; rg: string }[] = [];
let productReads = 0;
let naiveReads = 0;
const t0 = clock.now().getTime();
const wallStart = performance.now();
const perStep = Math.ceil((VAULTS * VMS_PER_VAULT) / (STAGGER_S / STEP_S));
for (let t = 0; t <= HOUR_S; t += STEP_S) {
  // New jobs, as the posting channel knows them: snapshot in progress.
  for (let k = 0; k < perStep && started.length < vmNames.length; k++) {
    const target = vmNames[started.length]!;
    const id = sandbox.startScheduledBackup(target.vm);
    started.push({ id, vault: target.vault, rg: target.rg });
    const initial = {
      phases: { snapshot: { status: 'InProgress' }, transfer: { status: 'NotStarted' } },
      azureStatus: 'InProgress',
    } as unknown as BackupJob;
    await watcher.watch(
      {
        jobId: id,
        vaultName: target.vault,
        resourceGroup: target.rg,
        platform: 'bench',
        messageRef: { id },
        extras: {},
      },
      initial,
    );
    naive.set(id, { vault: target.vault, rg: target.rg, fingerprint: fingerprintOf(initial), done: false });
  }
  if (t % WATCH_EVERY_S === 0) {
    const before = requests();
    await watcher.pollOnce();
    productReads += requests() - before;
  }
  if (t % NAIVE_EVERY_S === 0) {
    const before = requests();
    await naiveRound();
    naiveReads += requests() - before;
  }
  clock.advance(STEP_S * 1000);
}
const wallSeconds = (performance.now() - wallStart) / 1000;

/** Latency from each phase change (snapshot end, job end) to the update that showed it. */
function latencies(updates: Update[]): {
  p50: number;
  p95: number;
  max: number;
  count: number;
  redundant: number;
} {
  const jobs = new Map(world.jobs.map((j) => [j.id, j]));
  const out: number[] = [];
  const seen = new Map<string, string>();
  let redundant = 0;
  for (const u of updates) {
    if (seen.get(u.jobId) === u.fingerprint) redundant++;
    seen.set(u.jobId, u.fingerprint);
    const j = jobs.get(u.jobId);
    if (!j?.tasks) continue;
    const [snapshot, transfer, status] = u.fingerprint.split('|');
    const event =
      status !== 'InProgress'
        ? j.endMs
        : snapshot === 'Completed' && transfer === 'InProgress'
          ? j.tasks.snapshot.endMs
          : undefined;
    if (event !== undefined) out.push((u.at - event) / 1000);
  }
  out.sort((a, b) => a - b);
  const q = (p: number) => out[Math.min(out.length - 1, Math.floor(p * out.length))] ?? NaN;
  return { p50: q(0.5), p95: q(0.95), max: out.at(-1) ?? NaN, count: updates.length, redundant };
}

const phaseChanges = started.length * 2;
const minutes = HOUR_S / 60;
const row = (name: string, reads: number, l: ReturnType<typeof latencies>) =>
  [
    name.padEnd(8),
    String(reads).padStart(7),
    (reads / minutes).toFixed(0).padStart(8),
    `${((reads / (HOUR_S * 25)) * 100).toFixed(1)} %`.padStart(9),
    `${l.p50}/${l.p95}/${l.max} s`.padStart(16),
    `${l.count}/${phaseChanges}`.padStart(11),
    String(l.redundant).padStart(9),
  ].join(' ');

const p = latencies(productUpdates);
const n = latencies(naiveUpdates);
process.stdout.write(
  [
    `JobWatcher benchmark: ${started.length} backup jobs in ${VAULTS} vaults, one simulated hour (${((clock.now().getTime() - t0) / 60_000).toFixed(0)} min), snapshot 8 min + transfer 33 min.`,
    `Product watcher every ${WATCH_EVERY_S} s; naive watcher reads every running job's details every ${NAIVE_EVERY_S} s.`,
    '',
    'watcher    reads  per min  of 25/s  latency p50/p95/max  updates/chg  redundant',
    row('product', productReads, p),
    row('naive', naiveReads, n),
    '',
    `product reads are ${((productReads / naiveReads) * 100).toFixed(1)} % of the naive watcher's`,
    `RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB (bot and sandbox in one process); wall time ${wallSeconds.toFixed(0)} s`,
    '',
  ].join('\n'),
);
await sandbox.close();
