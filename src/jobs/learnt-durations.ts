import { SnapshotSurvival, countAtMost } from './snapshot-survival.js';

/**
 * How long this estate's snapshots took lately: the last `capacity` durations seen to complete,
 * kept sorted. With the snapshots still running they give the watcher its survival estimate
 * (withRunning), which says how likely a running snapshot is to have ended since its last read.
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
    this.sorted.splice(countAtMost(this.sorted, durationMs), 0, durationMs);
    if (this.recent.length > this.capacity) {
      const gone = this.recent.shift()!;
      this.sorted.splice(countAtMost(this.sorted, gone) - 1, 1);
    }
  }

  /**
   * The survival curve of these durations together with snapshots still running (censored at the
   * ages they were last seen running): see SnapshotSurvival for why ended ones alone mislead.
   */
  withRunning(runningMs: readonly number[]): SnapshotSurvival {
    return new SnapshotSurvival(this.sorted, runningMs);
  }
}
