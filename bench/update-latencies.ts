import type { PassFigures } from './watcher-bench-plan.js';

/**
 * What a watcher pass's card updates show, as the watcher benches report it (`npm run bench` and
 * `bench/watcher-sim.ts`): the latency from each phase change to the update that showed it, and
 * the updates that repeated what their card already showed.
 */
export interface Latency {
  p50: number;
  p95: number;
  max: number;
  count: number;
  redundant: number;
  snapshotP95: number;
  endP95: number;
}

/** Latency from each phase change (snapshot end, job end) to the update that showed it. */
export function latencies(f: PassFigures): Latency {
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
      const s = (u.atMs - e.endMs) / 1000;
      end.push(s);
      all.push(s);
    } else if (snap === 'Completed' && transfer === 'InProgress' && e.snapshotEndMs !== undefined) {
      const s = (u.atMs - e.snapshotEndMs) / 1000;
      snapshot.push(s);
      all.push(s);
    }
  }
  return {
    p50: quantile(all, 0.5),
    p95: quantile(all, 0.95),
    max: all.length ? Math.max(...all) : NaN,
    count: f.updates.length,
    redundant,
    snapshotP95: quantile(snapshot, 0.95),
    endP95: quantile(end, 0.95),
  };
}

function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
}
