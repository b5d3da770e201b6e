import { SnapshotSurvival } from './snapshot-survival.js';

/**
 * How long this estate's snapshots took lately: the last `capacity` durations seen to complete,
 * kept sorted. The watcher asks it how likely a snapshot still running at one age is to have ended
 * by another (the empirical conditional distribution), and reads a job's details only once that
 * chance is worth a read.
 */
export class LearntDurations {
  /** In arrival order, for forgetting the oldest. */
  private readonly recent: number[] = [];
  /** The same durations, ascending. */
  private readonly sorted: number[] = [];

  constructor(private readonly capacity = 500) {}

  get size(): number {
    return this.recent.length;
  }

  add(durationMs: number): void {
    if (!(durationMs > 0)) return;
    this.recent.push(durationMs);
    this.sorted.splice(this.countAtMost(durationMs), 0, durationMs);
    if (this.recent.length > this.capacity) {
      const gone = this.recent.shift()!;
      this.sorted.splice(this.countAtMost(gone) - 1, 1);
    }
  }

  /**
   * The survival curve of these durations together with snapshots still running (censored at the
   * ages they were last seen running): see SnapshotSurvival for why ended ones alone mislead.
   */
  withRunning(runningMs: readonly number[]): SnapshotSurvival {
    return new SnapshotSurvival(this.sorted, runningMs);
  }

  /**
   * The chance that a snapshot known to run past `fromMs` has ended by `toMs`, from the learnt
   * durations; undefined when none lasted longer than `fromMs` (the job is older than all of them).
   */
  chanceEndedBy(fromMs: number, toMs: number): number | undefined {
    const survivors = this.sorted.length - this.countAtMost(fromMs);
    if (survivors === 0) return undefined;
    return (this.countAtMost(toMs) - this.countAtMost(fromMs)) / survivors;
  }

  /** How many learnt durations are ≤ ms (binary search). */
  private countAtMost(ms: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
