import { describe, expect, it } from 'vitest';
import { SnapshotSurvival } from '../../src/jobs/snapshot-survival.js';

const MIN = 60_000;

describe('SnapshotSurvival (Kaplan–Meier)', () => {
  it('is the empirical distribution of the ended snapshots when none is still running', () => {
    const ended = [10, 2, 8, 4, 6].map((m) => m * MIN);
    const km = new SnapshotSurvival(ended, []);
    // The empirical conditional chance: of those longer than `from`, the share ended by `to`.
    const empirical = (from: number, to: number) =>
      ended.filter((d) => d > from && d <= to).length / ended.filter((d) => d > from).length;
    for (const [from, to] of [
      [0, 1],
      [0, 4],
      [4, 6],
      [6, 10],
      [3, 9],
    ] as const) {
      expect(km.chanceEndedBy(from * MIN, to * MIN)).toBeCloseTo(empirical(from * MIN, to * MIN), 12);
    }
    expect(km.survivalAt(5 * MIN)).toBeCloseTo(3 / 5, 12);
  });

  it('counts a running snapshot among those at risk up to the age it was seen running', () => {
    // Ended at 2, 4 and 6 min; two more seen still running at 3 and at 5 min.
    const km = new SnapshotSurvival(
      [2, 4, 6].map((m) => m * MIN),
      [3, 5].map((m) => m * MIN),
    );
    // At 2 min all five are at risk: 1 of 5 ends. At 4 min four are left, the one seen at 3 min
    // no longer counted: 1 of 3. At 6 min: 1 of 1 (the one seen at 5 min left the risk set).
    expect(km.survivalAt(2 * MIN)).toBeCloseTo(4 / 5, 12);
    expect(km.survivalAt(4 * MIN)).toBeCloseTo((4 / 5) * (2 / 3), 12);
    expect(km.survivalAt(6 * MIN)).toBeCloseTo(0, 12);
    // A read at exactly an end's age still counts the snapshot at risk then.
    const tie = new SnapshotSurvival([4 * MIN], [4 * MIN]);
    expect(tie.survivalAt(4 * MIN)).toBeCloseTo(1 / 2, 12);
  });

  it('gives a lower hazard than the ended snapshots alone while many long snapshots still run', () => {
    // An hour into a varied estate: the short snapshots have ended, the long ones (a hundred, seen
    // running at 50–59 min) have not. Ended ones alone say a 20-minute-old job is sure to end in
    // its next 10 minutes; counting those still running says it most likely will not.
    const ended = Array.from({ length: 100 }, (_, i) => (2 + (i % 28)) * MIN);
    const running = Array.from({ length: 100 }, (_, i) => (50 + (i % 10)) * MIN);
    const completedOnly = new SnapshotSurvival(ended, []);
    const km = new SnapshotSurvival(ended, running);
    const biased = completedOnly.chanceEndedBy(20 * MIN, 30 * MIN)!;
    const censored = km.chanceEndedBy(20 * MIN, 30 * MIN)!;
    expect(biased).toBeCloseTo(1, 12);
    expect(censored).toBeLessThan(0.3);
    expect(censored).toBeGreaterThan(0);
    // Early ages too: the running snapshots are among those at risk there, so an early end is
    // less likely than the ended ones alone say.
    expect(km.chanceEndedBy(0, 4 * MIN)!).toBeLessThan(completedOnly.chanceEndedBy(0, 4 * MIN)!);
  });

  it('says nothing past the last snapshot seen to end, even with snapshots running beyond it', () => {
    const km = new SnapshotSurvival([2 * MIN, 5 * MIN], [30 * MIN]);
    expect(km.chanceEndedBy(4 * MIN, 10 * MIN)).toBeCloseTo(1 / 2, 12);
    expect(km.chanceEndedBy(5 * MIN, 10 * MIN)).toBeUndefined();
    expect(km.chanceEndedBy(10 * MIN, 40 * MIN)).toBeUndefined();
    expect(new SnapshotSurvival([], [3 * MIN]).ends).toBe(0);
  });

  it('ignores durations and ages that are not positive', () => {
    const km = new SnapshotSurvival([0, -1, 4 * MIN], [0, -5]);
    expect(km.ends).toBe(1);
    expect(km.chanceEndedBy(0, 4 * MIN)).toBe(1);
  });
});
