/**
 * How long snapshots run, estimated from ended ones *and* ones still running (Kaplan–Meier's
 * product-limit estimator). Ended snapshots alone are a biased sample while long ones still run:
 * a 2-minute snapshot is seen to end long before a 2-hour one, so early on the short ones dominate
 * and a job past the learnt times looks about to end at every read. A snapshot known to run at age
 * c (read then, still taking it) is a censored observation: it counts among those at risk up to c,
 * so the chance of ending at an age is the share of those *at risk* then that ended, not of those
 * that ended at all.
 */
export class SnapshotSurvival {
  /** Distinct ages (ms) at which a snapshot ended, ascending. */
  private readonly times: number[] = [];
  /** The estimated share of snapshots still running just after each of `times`. */
  private readonly surviving: number[] = [];

  /**
   * @param endedMs durations of snapshots seen to end
   * @param runningMs ages at which snapshots were last seen still running (censored)
   */
  constructor(endedMs: readonly number[], runningMs: readonly number[]) {
    const ended = endedMs.filter((d) => d > 0).sort((a, b) => a - b);
    const running = runningMs.filter((c) => c > 0).sort((a, b) => a - b);
    let atRisk = ended.length + running.length;
    let s = 1;
    let i = 0;
    let j = 0;
    while (i < ended.length) {
      const t = ended[i]!;
      // Seen running before t: no longer at risk at t (one read at exactly t still is).
      while (j < running.length && running[j]! < t) {
        j++;
        atRisk--;
      }
      let d = 0;
      while (i < ended.length && ended[i] === t) {
        i++;
        d++;
      }
      s *= 1 - d / atRisk;
      this.times.push(t);
      this.surviving.push(s);
      atRisk -= d;
    }
  }

  /** How many snapshots were seen to end (the estimate's events). */
  get ends(): number {
    return this.times.length;
  }

  /** The estimated share of snapshots still running at age `ms`. */
  survivalAt(ms: number): number {
    const k = countAtMost(this.times, ms);
    return k === 0 ? 1 : this.surviving[k - 1]!;
  }

  /**
   * The chance that a snapshot known to run at `fromMs` has ended by `toMs`; undefined when no
   * snapshot was seen to end after `fromMs` (the estimate says nothing about that age).
   */
  chanceEndedBy(fromMs: number, toMs: number): number | undefined {
    if (countAtMost(this.times, fromMs) === this.times.length) return undefined;
    return 1 - this.survivalAt(toMs) / this.survivalAt(fromMs);
  }
}

/** How many of the ascending `sorted` are ≤ ms (binary search). */
export function countAtMost(sorted: readonly number[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
