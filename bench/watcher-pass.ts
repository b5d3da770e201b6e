/**
 * One pass of `npm run bench` (run by bench/watcher-bench.ts, one process per watcher): 1,000
 * backup jobs in 20 vaults on a sandbox running in its own process, followed for one simulated
 * hour by the product's JobWatcher or by a naive watcher. This process holds only the watcher, its
 * SDK clients and its store, so its RSS is the bot's. Prints one JSON line of figures.
 *
 *   tsx bench/watcher-pass.ts product|naive
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackupService } from '../src/azure/create-backup-service.js';
import { loadConfig } from '../src/config.js';
import type { BackupJob } from '../src/domain/index.js';
import { JobWatcher, fingerprintOf } from '../src/jobs/job-watcher.js';
import type { FleetVm } from '../src/sandbox/fleet.js';
import { openDatabase } from '../src/store/open-database.js';
import { WatchStore } from '../src/store/watch-store.js';
import { startSandboxProcess } from '../test/support/sandbox-process.js';
import type { PassFigures } from './watcher-bench-plan.js';
import {
  HOUR_S,
  NAIVE_EVERY_S,
  STAGGER_S,
  STEP_S,
  VAULTS,
  VMS_PER_VAULT,
  WATCH_EVERY_S,
} from './watcher-bench-plan.js';

const which = process.argv[2];
if (which !== 'product' && which !== 'naive') throw new Error('usage: watcher-pass.ts product|naive');

const sandbox = await startSandboxProcess({ SANDBOX_REQUEST_BUDGET: 'off', SANDBOX_LATENCY_MS: '0' });
const fleet = (
  await sandbox.control<{ vms: FleetVm[] }>(
    'POST',
    `/_sandbox/fleet?prefix=bench&vms=${VAULTS * VMS_PER_VAULT}&vaults=${VAULTS}`,
  )
).vms;
const t0 = Date.parse((await sandbox.control<{ now: string }>('GET', '/_sandbox/clock')).now);
let simMs = t0;
const now = (): Date => new Date(simMs);

let reads = 0;
const azure = { ...loadConfig({}).azure, retry: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 50 } };
const service = createBackupService({
  azure,
  sandbox: { url: sandbox.url, certificatePem: readFileSync(sandbox.caFile, 'utf8') },
  now,
  observe: () => void reads++,
});
const defaults = {
  subscriptionId: azure.subscriptionId,
  vaultName: 'x',
  vaultResourceGroup: 'x',
  portalLinks: false,
};
const updates: PassFigures['updates'] = [];
/** As the posting channel first shows a job: snapshot in progress. */
const initial = {
  phases: { snapshot: { status: 'InProgress' }, transfer: { status: 'NotStarted' } },
  azureStatus: 'InProgress',
} as unknown as BackupJob;

const watcher = new JobWatcher({
  service,
  store: new WatchStore(await openDatabase(join(mkdtempSync(join(tmpdir(), 'bench-')), 'bot.db'))),
  defaults,
  sinks: {
    bench: async (w, view) => {
      if (view.kind === 'job')
        updates.push({ jobId: w.jobId, fingerprint: fingerprintOf(view.job), atMs: simMs });
    },
  },
  intervalMs: WATCH_EVERY_S * 1000,
  now,
});

/** The naive watcher: every running job's details every 30 s; an update whenever what it shows changed. */
const naive = new Map<string, { vault: string; rg: string; fingerprint: string; done: boolean }>();
async function naiveRound(): Promise<void> {
  await Promise.all(
    [...naive.entries()]
      .filter(([, s]) => !s.done)
      .map(async ([id, s]) => {
        const job = await service.getJob(id, { vault: s.vault, resourceGroup: s.rg });
        const f = fingerprintOf(job);
        if (f !== s.fingerprint) updates.push({ jobId: id, fingerprint: f, atMs: simMs });
        s.fingerprint = f;
        s.done = job.status !== 'InProgress';
      }),
  );
}

let peakRss = 0;
let peakHeap = 0;
let started = 0;
const perStep = Math.ceil(fleet.length / (STAGGER_S / STEP_S));
const wallStart = performance.now();
for (let t = 0; t <= HOUR_S; t += STEP_S) {
  for (let k = 0; k < perStep && started < fleet.length; k++, started++) {
    const f = fleet[started]!;
    const { jobId } = await sandbox.control<{ jobId: string }>(
      'POST',
      `/_sandbox/vms/${encodeURIComponent(f.vm)}/scheduled-backup`,
    );
    if (which === 'product') {
      await watcher.watch(
        {
          jobId,
          vaultName: f.vault,
          resourceGroup: f.resourceGroup,
          platform: 'bench',
          messageRef: { id: jobId },
          extras: {},
        },
        initial,
      );
    } else {
      naive.set(jobId, {
        vault: f.vault,
        rg: f.resourceGroup,
        fingerprint: fingerprintOf(initial),
        done: false,
      });
    }
  }
  if (which === 'product' && t % WATCH_EVERY_S === 0) await watcher.pollOnce();
  if (which === 'naive' && t % NAIVE_EVERY_S === 0) await naiveRound();
  const mem = process.memoryUsage();
  peakRss = Math.max(peakRss, mem.rss);
  peakHeap = Math.max(peakHeap, mem.heapUsed);
  await sandbox.control('POST', `/_sandbox/clock/advance?ms=${STEP_S * 1000}`);
  simMs += STEP_S * 1000;
}
const wallSeconds = (performance.now() - wallStart) / 1000;
const { jobs } = await sandbox.control<{
  jobs: { id: string; operation: string; snapshotEndMs?: number; endMs?: number }[];
}>('GET', '/_sandbox/jobs');
await sandbox.stop();

const figures: PassFigures = {
  watcher: which,
  jobs: started,
  reads,
  updates,
  events: jobs
    .filter((j) => j.operation === 'Backup')
    .map(({ id, snapshotEndMs, endMs }) => ({ id, snapshotEndMs, endMs })),
  peakRssMb: Math.round(peakRss / 1_048_576),
  peakHeapMb: Math.round(peakHeap / 1_048_576),
  wallSeconds: Math.round(wallSeconds),
};
// Exit only once the (large) line is flushed to the pipe.
process.stdout.write(`${JSON.stringify(figures)}\n`, () => process.exit(0));
