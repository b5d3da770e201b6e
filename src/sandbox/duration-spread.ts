import { seededRandom } from './seeded-random.js';

/**
 * Per-job durations drawn from a seeded distribution, so that a benchmark's estate is varied and
 * yet the same seed gives the same estate: a job's durations depend only on the seed, its VM and
 * how many backups of that VM came before it — not on the order requests arrive in.
 */
export interface DurationSpread {
  seed: number;
  /** Snapshot durations, log-uniform between these bounds (minutes). */
  snapshotMinutes: readonly [number, number];
  /** Transfer durations, log-uniform between these bounds (minutes). */
  transferMinutes: readonly [number, number];
}

export function checkSpread(s: DurationSpread): DurationSpread {
  if (!Number.isInteger(s.seed)) throw new Error('seed must be an integer.');
  for (const [name, [lo, hi]] of [
    ['snapshotMinutes', s.snapshotMinutes],
    ['transferMinutes', s.transferMinutes],
  ] as const) {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo! > 0 && hi! >= lo!))
      throw new Error(`${name} must be two minutes [low, high] with 0 < low ≤ high.`);
  }
  return s;
}

/** The durations (ms) of the `nth` backup (0-based) of `vmName`. */
export function drawDurations(
  s: DurationSpread,
  vmName: string,
  nth: number,
): { snapshotMs: number; transferMs: number } {
  const random = seededRandom(fnv1a(`${s.seed}|${vmName.toLowerCase()}|${nth}`));
  return {
    snapshotMs: Math.round(logUniform(s.snapshotMinutes, random()) * 60_000),
    transferMs: Math.round(logUniform(s.transferMinutes, random()) * 60_000),
  };
}

function logUniform([lo, hi]: readonly [number, number], u: number): number {
  return lo * (hi / lo) ** u;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
