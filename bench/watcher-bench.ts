/**
 * `npm run bench`: the JobWatcher against the sandbox with 1,000 backup jobs in 20 vaults over one
 * simulated hour, beside a naive watcher that reads every running job's details every 30 s. Prints
 * ARM reads (total, per minute, share of ARM's 25 reads/s), phase-change-to-update latency
 * p50/p95/max, updates sent vs phase changes, redundant updates, and the watcher's peak RSS.
 *
 * Each watcher runs in a process of its own (bench/watcher-pass.ts) against a sandbox in another
 * process, on the same deterministic timeline (the clock is stepped 5 s at a time), so each one's
 * reads and memory are its own. The passes run as deployed: compiled JavaScript on plain node
 * (tsx's loader alone adds some 70 MB), built first into dist/bench-build.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { PassFigures } from './watcher-bench-plan.js';
import { HOUR_S, NAIVE_EVERY_S, STEP_S, VAULTS, WATCH_EVERY_S } from './watcher-bench-plan.js';

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
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
);

function runPass(watcher: 'product' | 'naive'): Promise<PassFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BUILD, 'bench/watcher-pass.js'), watcher], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{'))
        return reject(new Error(`${watcher} pass failed (${code}): ${out.slice(0, 500)}`));
      resolve(JSON.parse(line) as PassFigures);
    });
  });
}

interface Latency {
  p50: number;
  p95: number;
  max: number;
  count: number;
  redundant: number;
  snapshotP95: number;
  endP95: number;
}

/** Latency from each phase change (snapshot end, job end) to the update that showed it. */
function latencies(f: PassFigures): Latency {
  const events = new Map(f.events.map((e) => [e.id, e]));
  const all: number[] = [];
  const snapshot: number[] = [];
  const end: number[] = [];
  const seen = new Map<string, string>();
  let redundant = 0;
  for (const u of f.updates) {
    if (seen.get(u.jobId) === u.fingerprint) redundant++;
    seen.set(u.jobId, u.fingerprint);
    const e = events.get(u.jobId);
    if (!e) continue;
    const [snap, transfer, status] = u.fingerprint.split('|');
    if (status !== 'InProgress' && e.endMs !== undefined) {
      end.push((u.atMs - e.endMs) / 1000);
    } else if (snap === 'Completed' && transfer === 'InProgress' && e.snapshotEndMs !== undefined) {
      snapshot.push((u.atMs - e.snapshotEndMs) / 1000);
    } else continue;
    all.push((u.atMs - (status !== 'InProgress' ? e.endMs! : e.snapshotEndMs!)) / 1000);
  }
  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  };
  return {
    p50: q(all, 0.5),
    p95: q(all, 0.95),
    max: Math.max(...all),
    count: f.updates.length,
    redundant,
    snapshotP95: q(snapshot, 0.95),
    endP95: q(end, 0.95),
  };
}

const product = await runPass('product');
const naive = await runPass('naive');
const p = latencies(product);
const n = latencies(naive);
const phaseChanges = product.jobs * 2;
const minutes = HOUR_S / 60;
const row = (name: string, f: PassFigures, l: Latency) =>
  [
    name.padEnd(8),
    String(f.reads).padStart(7),
    (f.reads / minutes).toFixed(0).padStart(8),
    `${((f.reads / (HOUR_S * 25)) * 100).toFixed(1)} %`.padStart(9),
    `${l.p50}/${l.p95}/${l.max} s`.padStart(20),
    `${l.count}/${phaseChanges}`.padStart(12),
    String(l.redundant).padStart(10),
    `${f.peakRssMb} MB`.padStart(9),
  ].join(' ');
const share = (product.reads / naive.reads) * 100;
const ok = (b: boolean) => (b ? 'met' : 'MISSED');
process.stdout.write(
  [
    `JobWatcher benchmark: ${product.jobs} backup jobs in ${VAULTS} vaults over one simulated hour, snapshot 8 min + transfer 33 min;`,
    `product watcher every ${WATCH_EVERY_S} s, naive watcher reads every running job's details every ${NAIVE_EVERY_S} s; clock stepped ${STEP_S} s.`,
    '',
    'watcher    reads  per min  of 25/s  latency p50/p95/max  updates/chg   redundant  peak RSS',
    row('product', product, p),
    row('naive', naive, n),
    '',
    `product reads: ${share.toFixed(1)} % of the naive watcher's (target ≤ 10 %: ${ok(share <= 10 && p.p95 <= n.p95)})`,
    `redundant updates: ${p.redundant} (target 0: ${ok(p.redundant === 0)})`,
    `snapshot end → transfer shown, p95: ${p.snapshotP95} s (target ≤ 30 s: ${ok(p.snapshotP95 <= 30)})`,
    `job end → final card, p95: ${p.endP95} s (target ≤ 60 s: ${ok(p.endP95 <= 60)})`,
    `product watcher's peak RSS: ${product.peakRssMb} MB, of which V8 heap in use ${product.peakHeapMb} MB (target < 200 MB: ${ok(product.peakRssMb < 200)})`,
    `wall time: product ${product.wallSeconds} s, naive ${naive.wallSeconds} s`,
    '',
  ].join('\n'),
);
