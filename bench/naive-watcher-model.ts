import type { PassFigures, Scenario } from './watcher-bench-plan.js';
import { NAIVE_EVERY_S } from './watcher-bench-plan.js';

/**
 * What the naive watcher does on a pass's timeline, computed instead of run: every `everyS`
 * seconds (30 s, the naive watcher, unless asked for another point of its curve; from the
 * pass's first step) it reads the details of every job started by then and not yet seen to end,
 * and updates a card when what it shows changed. On the sandbox's deterministic clock this is
 * exactly what the real naive pass (`BENCH_NAIVE=real`) measures — reads, update times — which
 * `npm run bench` checks on the uniform scenario; it costs seconds where the real pass costs
 * half an hour on the varied estate.
 */
export function naiveOnTimeline(
  product: PassFigures,
  scenario: Scenario,
  everyS: number = NAIVE_EVERY_S,
): PassFigures {
  const every = everyS * 1000;
  const last = product.t0Ms + scenario.horizonS * 1000;
  let reads = 0;
  const updates: PassFigures['updates'] = [];
  for (const e of product.events) {
    let shown = 'InProgress|NotStarted|InProgress';
    for (
      let at = product.t0Ms + Math.ceil((e.startMs - product.t0Ms) / every) * every;
      at <= last;
      at += every
    ) {
      reads++;
      const ended = e.endMs !== undefined && e.endMs <= at;
      const snapped = e.snapshotEndMs !== undefined && e.snapshotEndMs <= at;
      const now = ended
        ? 'Completed|Completed|Completed'
        : snapped
          ? 'Completed|InProgress|InProgress'
          : 'InProgress|NotStarted|InProgress';
      if (now !== shown) updates.push({ jobId: e.id, fingerprint: now, atMs: at });
      shown = now;
      if (ended) break;
    }
  }
  updates.sort((a, b) => a.atMs - b.atMs);
  return { ...product, watcher: 'naive', reads, updates, wallSeconds: 0, peakRssMb: 0, peakHeapMb: 0 };
}
