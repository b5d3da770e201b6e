/**
 * A tuning aid, not the benchmark: the real JobWatcher against an in-process stand-in for the
 * BackupService that answers from the scenario's timeline (the sandbox's seeded durations, the
 * bench's start times and 5 s steps), with no HTTP, sandbox or SDK. Its reads and latencies came
 * within 0.3 % of `npm run bench`'s varied pass (77,819 against 78,010 reads, snapshot p95 163
 * against 162 s) in 15 s instead of half an hour, so schedules can be compared before a real pass
 * measures the chosen one. Prints one JSON line and detail reads per job by snapshot length.
 *   npx tsx bench/watcher-sim.ts <readChance> [varied|uniform] [maxGapMin]
 */
import type { BackupService } from '../src/azure/backup-service.js';
import type { BackupJob } from '../src/domain/index.js';
import { JobWatcher, fingerprintOf } from '../src/jobs/job-watcher.js';
import { drawDurations } from '../src/sandbox/duration-spread.js';
import { LearntDurationStore } from '../src/store/learnt-duration-store.js';
import { openDatabase } from '../src/store/open-database.js';
import { WatchStore } from '../src/store/watch-store.js';
import { naiveOnTimeline } from './naive-watcher-model.js';
import type { PassFigures } from './watcher-bench-plan.js';
import { SCENARIOS, STEP_S, WATCH_EVERY_S } from './watcher-bench-plan.js';
import { latencies } from './update-latencies.js';

const chance = Number(process.argv[2] ?? '0.1');
const scenario = SCENARIOS[(process.argv[3] ?? 'varied') as 'varied'];
const maxGapMin = process.argv[4] ? Number(process.argv[4]) : undefined;
const t0 = Date.parse('2026-12-01T00:00:00Z');
let simMs = t0;
const now = (): Date => new Date(simMs);
interface J {
  id: string;
  vault: string;
  startMs: number;
  snapMs: number;
  endMs: number;
}
const jobs = new Map<string, J>();
let reads = 0;
let detailReads = 0;
const readsByJob = new Map<string, number>();
/** The job as the list (details false) or job details (true) would show it now. */
function view(j: J, details: boolean): BackupJob {
  const t = simMs;
  const snapDone = t >= j.snapMs;
  const done = t >= j.endMs;
  const status = done ? 'Completed' : 'InProgress';
  return {
    id: j.id,
    vaultName: j.vault,
    vmName: j.id,
    operation: 'Backup',
    status,
    azureStatus: status,
    errors: [],
    ...(details
      ? {
          phases: {
            snapshot: {
              name: 'Take Snapshot',
              status: snapDone ? 'Completed' : 'InProgress',
              ...(snapDone ? { durationMs: j.snapMs - j.startMs } : {}),
            },
            transfer: {
              name: 'Transfer data to vault',
              status: done ? 'Completed' : snapDone ? 'InProgress' : 'NotStarted',
            },
          },
        }
      : {}),
  } as BackupJob;
}
// Only the two calls the watcher makes; the rest of BackupService is never reached.
const service = {
  listJobs: async (_f: unknown, target: { vault: string }) => {
    reads++;
    return [...jobs.values()]
      .filter((j) => j.vault === target.vault && j.startMs <= simMs)
      .map((j) => view(j, false));
  },
  getJob: async (id: string) => {
    reads++;
    detailReads++;
    readsByJob.set(id, (readsByJob.get(id) ?? 0) + 1);
    return view(jobs.get(id)!, true);
  },
} as unknown as BackupService;

const db = await openDatabase(':memory:');
const updates: PassFigures['updates'] = [];
const watcher = new JobWatcher({
  service,
  store: new WatchStore(db),
  durations: new LearntDurationStore(db),
  defaultSubscription: 's',
  sinks: {
    bench: async (w, job) => {
      updates.push({ jobId: w.jobId, fingerprint: fingerprintOf(job), atMs: simMs });
    },
  },
  intervalMs: WATCH_EVERY_S * 1000,
  now,
  snapshotReadChance: chance,
  ...(maxGapMin !== undefined ? { snapshotMaxGapMs: maxGapMin * 60_000 } : {}),
});
const initial = {
  phases: { snapshot: { status: 'InProgress' }, transfer: { status: 'NotStarted' } },
  azureStatus: 'InProgress',
} as unknown as BackupJob;
const n = scenario.vaults * scenario.vmsPerVault;
const perStep = Math.ceil(n / (scenario.staggerS / STEP_S));
let started = 0;
for (let t = 0; t <= scenario.horizonS; t += STEP_S) {
  for (let k = 0; k < perStep && started < n; k++, started++) {
    const i = started;
    const d = scenario.spread
      ? drawDurations(scenario.spread, `bench-${i}`, 0)
      : { snapshotMs: 8 * 60_000, transferMs: 33 * 60_000 };
    const j: J = {
      id: `job-${i}`,
      vault: `rsv-${i % scenario.vaults}`,
      startMs: simMs,
      snapMs: simMs + d.snapshotMs,
      endMs: simMs + d.snapshotMs + d.transferMs,
    };
    jobs.set(j.id, j);
    await watcher.watch(
      {
        jobId: j.id,
        vaultName: j.vault,
        resourceGroup: 'rg',
        platform: 'bench',
        messageRef: { id: j.id },
        extras: {},
      },
      initial,
    );
  }
  if (t % WATCH_EVERY_S === 0) await watcher.pollOnce();
  simMs += STEP_S * 1000;
}
const events = [...jobs.values()].map((j) => ({
  id: j.id,
  startMs: j.startMs,
  ...(j.snapMs <= simMs - STEP_S * 1000 ? { snapshotEndMs: j.snapMs } : {}),
  ...(j.endMs <= simMs - STEP_S * 1000 ? { endMs: j.endMs } : {}),
}));
const product = {
  scenario: scenario.name,
  watcher: 'product',
  jobs: n,
  reads,
  updates,
  events,
  t0Ms: t0,
  peakRssMb: 0,
  peakHeapMb: 0,
  wallSeconds: 0,
} as PassFigures;
const naive = naiveOnTimeline(product, scenario);
const p = latencies(product);
const nv = latencies(naive);
// Detail reads per job by snapshot length (minutes).
const buckets = [2, 5, 10, 20, 40, 80, 121];
const byLen = buckets.slice(1).map((hi, k) => {
  const lo = buckets[k]!;
  const js = [...jobs.values()].filter((j) => {
    const m = (j.snapMs - j.startMs) / 60_000;
    return m >= lo && m < hi;
  });
  const r = js.reduce((s, j) => s + (readsByJob.get(j.id) ?? 0), 0);
  return `${lo}-${hi}m: ${js.length} jobs ${(r / js.length).toFixed(1)}/job`;
});
console.log(
  JSON.stringify({
    chance,
    reads,
    detailReads,
    listReads: reads - detailReads,
    naiveReads: naive.reads,
    share: ((reads / naive.reads) * 100).toFixed(1),
    snapP95: p.snapshotP95,
    endP95: p.endP95,
    naiveSnap: nv.snapshotP95,
    naiveEnd: nv.endP95,
    redundant: p.redundant,
  }),
);
console.log(byLen.join('; '));
