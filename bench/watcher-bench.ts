/**
 * `npm run bench`: the JobWatcher against the sandbox in three scenarios, each beside a naive
 * watcher that reads every running job's details every 30 s:
 *   uniform — 1,000 jobs in 20 vaults, snapshot 8 min + transfer 33 min, started over 10 min, 1 h;
 *   varied  — 2,000 jobs in 40 vaults, snapshots log-uniform 2–120 min, transfers 10 min–8 h
 *             (seeded), started over the first hour, 3 h;
 *   burst   — the uniform estate for 20 min with 200 `backup … now` commands through the command
 *             registry in the 9th minute, on a Recovery Services budget of 1,100 refilling 10/s.
 * Prints reads, latency from each phase change to the card showing it (p50/p95/max), redundant
 * updates, the naive watcher's curve (its reads and p95s polling every 30, 60, 120 and 300 s), the watcher's peak RSS, and in `burst` the commands' outcomes and the budget's low.
 *
 * Each product pass runs in a process of its own (bench/watcher-pass.ts) against a sandbox in
 * another, as deployed: compiled JavaScript on plain node, built first into dist/bench-build. The
 * naive watcher is computed on the product pass's timeline (bench/naive-watcher-model.ts) unless
 * BENCH_NAIVE=real runs it for real (the uniform one takes about 5 min, the varied one about 30).
 *
 *   BENCH_SCENARIOS=uniform,varied,burst   which scenarios (default all three)
 *   BENCH_READ_CHANCES=0.05,0.1,0.2        product passes at several snapshotReadChance settings
 *   BENCH_MAX_GAPS=2,3,6                   product passes at several snapshotMaxGapMs settings (minutes)
 *   BENCH_NAIVE=real                       run the naive watcher instead of computing it
 *   BENCH_JSON=<file>                      also write one object per scenario (and setting) there
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { naiveOnTimeline } from './naive-watcher-model.js';
import type { PassFigures, Scenario } from './watcher-bench-plan.js';
import { SCENARIOS } from './watcher-bench-plan.js';
import type { Latency } from './update-latencies.js';
import { latencies } from './update-latencies.js';

const ROOT = join(import.meta.dirname, '..');
const BUILD = join(ROOT, 'dist', 'bench-build');
execFileSync(
  process.execPath,
  [
    join(ROOT, 'node_modules/typescript/bin/tsc'),
    '-p',
    'tsconfig.json',
    '--noEmit',
    'false',
    '--outDir',
    BUILD,
  ],
  { cwd: ROOT, stdio: 'inherit' },
);

function runPass(
  scenario: string,
  watcher: 'product' | 'naive',
  setting: Setting = {},
): Promise<PassFigures> {
  return new Promise((resolve, reject) => {
    const args = [
      join(BUILD, 'bench/watcher-pass.js'),
      scenario,
      watcher,
      String(setting.chance ?? ''),
      String(setting.maxGapMin ?? ''),
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{'))
        return reject(new Error(`${scenario} ${watcher} pass failed (${code}): ${out.slice(0, 500)}`));
      resolve(JSON.parse(line) as PassFigures);
    });
  });
}

/** A product pass's schedule settings; either left out takes the watcher's default. */
interface Setting {
  chance?: number;
  maxGapMin?: number;
}

/** One point of the naive watcher's reads-against-latency curve. */
interface NaivePoint {
  everyS: number;
  reads: number;
  snapshotP95S: number;
  endP95S: number;
}

/** One scenario's line in BENCH_JSON, in the issue's shape (naive* fields: the 30 s watcher). */
interface ScenarioFigures {
  scenario: string;
  productReads: number;
  naiveReads: number;
  snapshotP95S: number;
  endP95S: number;
  naiveSnapshotP95S: number;
  naiveEndP95S: number;
  redundantUpdates: number;
  minBudgetLeftPct: number | null;
  failedCommands: number;
  peakRssMb: number;
  readChance?: number;
  maxGapMin?: number;
  /** The naive watcher at several polling intervals, on the same timeline. */
  naiveCurve: NaivePoint[];
}

/** Where the naive watcher's curve is drawn: its 30 s, and slower watchers that read less. */
const NAIVE_CURVE_S = [30, 60, 120, 300];

const names = (process.env.BENCH_SCENARIOS ?? 'uniform,varied,burst').split(',') as Scenario['name'][];
const list = (v: string | undefined) => (v ?? '').split(',').filter(Boolean).map(Number);
const chances = list(process.env.BENCH_READ_CHANCES);
const gaps = list(process.env.BENCH_MAX_GAPS);
const results: ScenarioFigures[] = [];
const lines: string[] = [];
const ok = (b: boolean) => (b ? 'met' : 'MISSED');
for (const name of names) {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const settings: (Setting | undefined)[] =
    name === 'burst' || (chances.length === 0 && gaps.length === 0)
      ? [undefined]
      : (chances.length ? chances : [undefined]).flatMap((chance) =>
          (gaps.length ? gaps : [undefined]).map((maxGapMin) => ({
            ...(chance !== undefined ? { chance } : {}),
            ...(maxGapMin !== undefined ? { maxGapMin } : {}),
          })),
        );
  for (const setting of settings) {
    const product = await runPass(name, 'product', setting);
    const naive =
      process.env.BENCH_NAIVE === 'real' ? await runPass(name, 'naive') : naiveOnTimeline(product, scenario);
    if (process.env.BENCH_NAIVE === 'real') {
      // The computed naive watcher must agree with the real one, read for read and update for update.
      const model = naiveOnTimeline(product, scenario);
      const same =
        model.reads === naive.reads &&
        JSON.stringify(model.updates.map((u) => [u.jobId, u.fingerprint, u.atMs]).sort()) ===
          JSON.stringify(naive.updates.map((u) => [u.jobId, u.fingerprint, u.atMs]).sort());
      lines.push(
        `  computed naive watcher ${same ? 'matches' : 'DIFFERS FROM'} the real one (${model.reads} reads)`,
      );
    }
    const p = latencies(product);
    const n = latencies(naive);
    const label =
      setting === undefined
        ? name
        : `${name} (${[
            setting.chance !== undefined ? `read chance ${setting.chance}` : '',
            setting.maxGapMin !== undefined ? `max gap ${setting.maxGapMin} min` : '',
          ]
            .filter(Boolean)
            .join(', ')})`;
    const naiveCurve = scenario.burst
      ? []
      : NAIVE_CURVE_S.map((everyS) => {
          const f =
            everyS === 30 && process.env.BENCH_NAIVE !== 'real'
              ? naive
              : naiveOnTimeline(product, scenario, everyS);
          const l = latencies(f);
          return { everyS, reads: f.reads, snapshotP95S: l.snapshotP95, endP95S: l.endP95 };
        });
    const share = (product.reads / naive.reads) * 100;
    const minutes = scenario.horizonS / 60;
    const b = product.budget;
    const minBudgetLeftPct = b && b.capacity > 0 ? Math.round((b.lowest / b.capacity) * 1000) / 10 : null;
    const row = (w: string, f: PassFigures, l: Latency) =>
      `  ${w.padEnd(8)} ${String(f.reads).padStart(7)} reads (${(f.reads / minutes).toFixed(0)}/min)  ` +
      `latency p50/p95/max ${l.p50}/${l.p95}/${l.max} s  snapshot p95 ${l.snapshotP95} s  end p95 ${l.endP95} s  ` +
      `updates ${l.count}  redundant ${l.redundant}` +
      (f.peakRssMb
        ? `  peak RSS ${f.peakRssMb} MB (heap ${f.peakHeapMb} MB)  wall ${f.wallSeconds} s`
        : '  (computed)');
    lines.push(
      `${label}: ${product.jobs} jobs in ${scenario.vaults} vaults, ${minutes} simulated min`,
      row('product', product, p),
      row('naive', naive, n),
      // In `burst` the product's requests include the commands', and no job ends within 20 min.
      scenario.burst
        ? `  product requests (watcher and commands) ${share.toFixed(1)} % of the naive watcher's reads; redundant ${ok(p.redundant === 0)}`
        : `  product reads ${share.toFixed(1)} % of naive (≤ 10 %: ${ok(share <= 10)}); ` +
            `snapshot p95 ${ok(p.snapshotP95 <= n.snapshotP95)} and end p95 ${ok(p.endP95 <= n.endP95)} against naive; ` +
            `redundant ${ok(p.redundant === 0)}`,
      ...naiveCurve.map(
        (c) =>
          `  naive every ${String(c.everyS).padStart(3)} s: ${String(c.reads).padStart(7)} reads ` +
          `(${((c.reads / naive.reads) * 100).toFixed(1)} % of the 30 s watcher's)  ` +
          `snapshot p95 ${c.snapshotP95S} s  end p95 ${c.endP95S} s`,
      ),
    );
    if (product.commands && b) {
      const c = product.commands;
      lines.push(
        `  commands: ${c.sent} sent, ${c.answered} answered, ${c.failed} failed, ${c.tooManyRequests} TooManyRequests ` +
          `(${Object.entries(c.answers)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}); budget lowest ${b.lowest} of ${b.capacity} ` +
          `(${minBudgetLeftPct} %, ≥ 20 %: ${ok((minBudgetLeftPct ?? 0) >= 20)}), 429s ${b.refused}`,
      );
    }
    lines.push('');
    results.push({
      scenario: label,
      productReads: product.reads,
      naiveReads: naive.reads,
      snapshotP95S: p.snapshotP95,
      endP95S: p.endP95,
      naiveSnapshotP95S: n.snapshotP95,
      naiveEndP95S: n.endP95,
      redundantUpdates: p.redundant,
      minBudgetLeftPct,
      failedCommands: product.commands?.failed ?? 0,
      peakRssMb: product.peakRssMb,
      ...(product.readChance !== undefined ? { readChance: product.readChance } : {}),
      ...(product.maxGapMin !== undefined ? { maxGapMin: product.maxGapMin } : {}),
      naiveCurve,
    });
    process.stdout.write(`${lines.splice(0).join('\n')}\n`);
  }
}
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(results, null, 2)}\n`);
