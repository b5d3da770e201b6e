/**
 * One pass of `npm run bench` (run by bench/watcher-bench.ts, one process per pass): a scenario's
 * backup jobs on a sandbox running in its own process, followed by the product's JobWatcher or by
 * a naive watcher, on a deterministic timeline (the clock is stepped 5 s at a time). This process
 * holds only the watcher, its SDK clients and its store (and in `burst`, the command registry), so
 * its RSS is the bot's. Prints one JSON line of figures.
 *
 * The product pass runs on the node flags production runs with (`npm run start:built` in
 * package.json: V8's heap sizes): started without them, it starts itself again with them.
 *
 *   node dist/bench-build/bench/watcher-pass.js <uniform|varied|burst> <product|naive> [readChance] [maxGapMin]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createBackupService } from '../src/azure/create-backup-service.js';
import { atBackgroundPriority } from '../src/azure/request-budget-scheduler.js';
import { CommandRegistry } from '../src/chat/command-registry.js';
import { RoleDirectory } from '../src/chat/roles.js';
import { loadConfig } from '../src/config.js';
import type { BackupJob } from '../src/domain/index.js';
import { JobWatcher, fingerprintOf } from '../src/jobs/job-watcher.js';
import type { FleetVm } from '../src/sandbox/fleet.js';
import { LearntDurationStore } from '../src/store/learnt-duration-store.js';
import { openDatabase } from '../src/store/open-database.js';
import { WatchStore } from '../src/store/watch-store.js';
import { startSandboxProcess } from '../test/support/sandbox-process.js';
import type { PassFigures } from './watcher-bench-plan.js';
import { NAIVE_EVERY_S, SCENARIOS, STEP_S, WATCH_EVERY_S } from './watcher-bench-plan.js';

const [scenarioName, which, chanceArg, gapArg] = process.argv.slice(2);
const scenario = SCENARIOS[scenarioName as keyof typeof SCENARIOS];
if (!scenario || (which !== 'product' && which !== 'naive'))
  throw new Error('usage: watcher-pass.js <uniform|varied|burst> <product|naive> [readChance] [maxGapMin]');
const readChance = chanceArg ? Number(chanceArg) : undefined;
const maxGapMin = gapArg ? Number(gapArg) : undefined;

/** The node flags of `npm run start:built` before its script, `--import` and its module aside. */
function productionNodeFlags(): string[] {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts['start:built']!.split(/\s+/).slice(1);
  const flags: string[] = [];
  for (let i = 0; i < words.length && words[i]!.startsWith('--'); i++) {
    if (words[i] === '--import') i++;
    else flags.push(words[i]!);
  }
  return flags;
}
if (which === 'product') {
  const flags = productionNodeFlags();
  if (!flags.every((f) => process.execArgv.includes(f))) {
    const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
      stdio: 'inherit',
    });
    process.exit(await new Promise<number>((r) => child.on('exit', (code) => r(code ?? 1))));
  }
}

const sandbox = await startSandboxProcess({
  SANDBOX_REQUEST_BUDGET: scenario.requestBudget,
  SANDBOX_LATENCY_MS: '0',
});
if (scenario.spread) {
  const { seed, snapshotMinutes: s, transferMinutes: x } = scenario.spread;
  await sandbox.control(
    'POST',
    `/_sandbox/durations?seed=${seed}&snapshotMinutes=${s.join('-')}&transferMinutes=${x.join('-')}`,
  );
}
const fleet = (
  await sandbox.control<{ vms: FleetVm[] }>(
    'POST',
    `/_sandbox/fleet?prefix=bench&vms=${scenario.vaults * scenario.vmsPerVault}&vaults=${scenario.vaults}`,
  )
).vms;
// The burst's VMs are in the default vault, which the commands' short form names.
const burstVms = scenario.burst
  ? (
      await sandbox.control<{ vms: FleetVm[] }>(
        'POST',
        `/_sandbox/fleet?prefix=burst&vms=${scenario.burst.commands}&vaults=0`,
      )
    ).vms
  : [];
const t0 = Date.parse((await sandbox.control<{ now: string }>('GET', '/_sandbox/clock')).now);
let simMs = t0;
const now = (): Date => new Date(simMs);

let reads = 0;
const config = loadConfig({});
const azure = {
  ...config.azure,
  // As deployed, except that the sandbox's Retry-After is honoured without waiting long.
  retry: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 50 },
  operationPollMaxIntervalMs: 200,
};
const service = createBackupService({
  azure,
  sandbox: { url: sandbox.url, certificatePem: readFileSync(sandbox.caFile, 'utf8') },
  now,
  observe: () => void reads++,
});
const defaults = {
  subscriptionId: azure.subscriptionId,
  vaultName: azure.vaultName,
  vaultResourceGroup: azure.vaultResourceGroup,
  portalLinks: false,
};
const updates: PassFigures['updates'] = [];
/** As the posting channel first shows a job: snapshot in progress. */
const initial = {
  phases: { snapshot: { status: 'InProgress' }, transfer: { status: 'NotStarted' } },
  azureStatus: 'InProgress',
} as unknown as BackupJob;

const db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'bench-')), 'bot.db'));
const watched = new Set<string>();
const watcher = new JobWatcher({
  // As in main.ts: the watcher spends the Recovery Services budget only above people's reserve.
  service: atBackgroundPriority(service),
  store: new WatchStore(db),
  durations: new LearntDurationStore(db),
  defaultSubscription: defaults.subscriptionId,
  sinks: {
    bench: async (w, job) => {
      if (watched.has(w.jobId))
        updates.push({ jobId: w.jobId, fingerprint: fingerprintOf(job), atMs: simMs });
    },
  },
  intervalMs: WATCH_EVERY_S * 1000,
  now,
  ...(readChance !== undefined ? { snapshotReadChance: readChance } : {}),
  ...(maxGapMin !== undefined ? { snapshotMaxGapMs: maxGapMin * 60_000 } : {}),
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

/** The burst: `backup <vm> now` from an operator through the command registry, answers counted. */
const registry = new CommandRegistry({
  service,
  roles: new RoleDirectory([{ userId: 'slack:T1:UOPS', roles: ['operator'] }], []),
  defaults,
  now,
});
const commands = {
  sent: 0,
  answered: 0,
  failed: 0,
  tooManyRequests: 0,
  answers: {} as Record<string, number>,
};
const inFlight: Promise<void>[] = [];
function sendCommand(vm: string): void {
  commands.sent++;
  inFlight.push(
    registry
      .handle({
        platform: 'slack',
        user: { id: 'slack:T1:UOPS', name: 'Ops' },
        conversationId: 'C1',
        text: `backup ${vm} now`,
      })
      .then(
        ({ view, watch }) => {
          commands.answered++;
          const kind = view.kind === 'error' ? view.code : view.kind;
          commands.answers[kind] = (commands.answers[kind] ?? 0) + 1;
          if (view.kind === 'error') commands.failed++;
          if (kind === 'azure.TooManyRequests') commands.tooManyRequests++;
          // The command's job is watched too, as the channel would.
          if (watch)
            return watcher.watch(
              { ...watch, platform: 'bench', messageRef: { id: watch.jobId }, extras: {} },
              initial,
            );
        },
        () => void commands.failed++,
      ),
  );
}
const budget = { capacity: 0, lowest: Number.POSITIVE_INFINITY, refused: 0 };
async function readBudget(): Promise<void> {
  if (scenario!.requestBudget === 'off') return;
  const b = await sandbox.control<{ capacity: number; lowest: number; refused: number }>(
    'GET',
    '/_sandbox/budget',
  );
  budget.capacity = b.capacity;
  budget.lowest = Math.min(budget.lowest, b.lowest);
  budget.refused += b.refused;
}

let peakRss = 0;
let peakHeap = 0;
let started = 0;
const perStep = Math.ceil(fleet.length / (scenario.staggerS / STEP_S));
const wallStart = performance.now();
const burst = scenario.burst;
const burstPerStep = burst ? Math.ceil(burst.commands / (burst.overS / STEP_S)) : 0;
let burstSent = 0;
for (let t = 0; t <= scenario.horizonS; t += STEP_S) {
  for (let k = 0; k < perStep && started < fleet.length; k++, started++) {
    const f = fleet[started]!;
    const { jobId } = await sandbox.control<{ jobId: string }>(
      'POST',
      `/_sandbox/vms/${encodeURIComponent(f.vm)}/scheduled-backup`,
    );
    watched.add(jobId);
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
  const stepStart = performance.now();
  if (burst && t >= burst.atS && burstSent < burst.commands) {
    for (let k = 0; k < burstPerStep && burstSent < burst.commands; k++)
      sendCommand(burstVms[burstSent++]!.vm);
  }
  if (which === 'product' && t % WATCH_EVERY_S === 0) await watcher.pollOnce();
  if (which === 'naive' && t % NAIVE_EVERY_S === 0) await naiveRound();
  // While commands are under way the budget refills in real time, as Azure's does: simulated time
  // then runs no faster than real time.
  if (burst && commands.answered + commands.failed < burstSent) {
    const left = STEP_S * 1000 - (performance.now() - stepStart);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
  await readBudget();
  const mem = process.memoryUsage();
  peakRss = Math.max(peakRss, mem.rss);
  peakHeap = Math.max(peakHeap, mem.heapUsed);
  await sandbox.control('POST', `/_sandbox/clock/advance?ms=${STEP_S * 1000}`);
  simMs += STEP_S * 1000;
}
await Promise.all(inFlight);
await readBudget();
const wallSeconds = (performance.now() - wallStart) / 1000;
// The process's true peak (the kernel's high-water mark), which a sample per step can miss: the
// peak falls inside a poll round, while responses are parsed.
const sampledPeakRss = peakRss;
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
if (process.env.BENCH_MEMORY_DETAIL) {
  const mb = (n: number): number => Math.round(n / 1_048_576);
  const { heapUsed, heapTotal, external, arrayBuffers, rss } = process.memoryUsage();
  const detail = { peakRss: mb(peakRss), sampledPeakRss: mb(sampledPeakRss), peakHeap: mb(peakHeap) };
  const atEnd = {
    rss: mb(rss),
    heapUsed: mb(heapUsed),
    heapTotal: mb(heapTotal),
    external: mb(external),
    arrayBuffers: mb(arrayBuffers),
  };
  const cpu = process.cpuUsage();
  process.stderr.write(
    `memory ${JSON.stringify({ ...detail, atEnd, cpuS: Math.round((cpu.user + cpu.system) / 1e5) / 10, execArgv: process.execArgv })}\n`,
  );
}
const { jobs } = await sandbox.control<{
  jobs: { id: string; operation: string; startMs: number; snapshotEndMs?: number; endMs?: number }[];
}>('GET', '/_sandbox/jobs');
await sandbox.stop();

const figures: PassFigures = {
  scenario: scenario.name,
  watcher: which,
  ...(which === 'product' ? { readChance: readChance ?? 0.1, maxGapMin: maxGapMin ?? 3 } : {}),
  jobs: started,
  reads,
  updates,
  events: jobs
    .filter((j) => watched.has(j.id))
    .map(({ id, startMs, snapshotEndMs, endMs }) => ({ id, startMs, snapshotEndMs, endMs })),
  t0Ms: t0,
  peakRssMb: Math.round(peakRss / 1_048_576),
  peakHeapMb: Math.round(peakHeap / 1_048_576),
  wallSeconds: Math.round(wallSeconds),
  ...(burst ? { commands, budget } : {}),
};
// Exit only once the (large) line is flushed to the pipe.
process.stdout.write(`${JSON.stringify(figures)}\n`, () => process.exit(0));
