/** The JobWatcher benchmark's scenarios, shared by the runner and each pass. */
export const STEP_S = 5;
/** The product watcher's default interval (WATCH_INTERVAL_MS). */
export const WATCH_EVERY_S = 15;
export const NAIVE_EVERY_S = 30;

export interface Scenario {
  name: 'uniform' | 'varied' | 'burst';
  vaults: number;
  vmsPerVault: number;
  /** Simulated seconds followed. */
  horizonS: number;
  /** Jobs start evenly over this many seconds from the start. */
  staggerS: number;
  /** Seeded per-job durations (log-uniform, minutes); without: the sandbox's fixed 8 + 33 min. */
  spread?: { seed: number; snapshotMinutes: [number, number]; transferMinutes: [number, number] };
  /** `backup <vm> now` commands through the command registry while the jobs are watched. */
  burst?: { commands: number; atS: number; overS: number };
  /** SANDBOX_REQUEST_BUDGET of the scenario's sandbox. */
  requestBudget: string;
}

export const SCENARIOS: Record<Scenario['name'], Scenario> = {
  uniform: {
    name: 'uniform',
    vaults: 20,
    vmsPerVault: 50,
    horizonS: 3600,
    staggerS: 600,
    requestBudget: 'off',
  },
  varied: {
    name: 'varied',
    vaults: 40,
    vmsPerVault: 50,
    horizonS: 3 * 3600,
    staggerS: 3600,
    spread: { seed: 15, snapshotMinutes: [2, 120], transferMinutes: [10, 480] },
    requestBudget: 'off',
  },
  // 1,000 watched jobs as in `uniform`; the burst lands as their snapshots end (the watcher's
  // busiest minutes), on a budget as the 2026 recording reported it (1,099) refilling 10/s.
  burst: {
    name: 'burst',
    vaults: 20,
    vmsPerVault: 50,
    horizonS: 20 * 60,
    staggerS: 600,
    burst: { commands: 200, atS: 8 * 60, overS: 60 },
    requestBudget: '1100/10',
  },
};

/** What one pass reports (one JSON line on stdout). */
export interface PassFigures {
  scenario: Scenario['name'];
  watcher: 'product' | 'naive';
  /** The product watcher's snapshotReadChance. */
  readChance?: number;
  /** The product watcher's snapshotMaxGapMs, in minutes. */
  maxGapMin?: number;
  jobs: number;
  /** ARM requests of the watcher (and in `burst`, of the commands too). */
  reads: number;
  updates: { jobId: string; fingerprint: string; atMs: number }[];
  /** Real phase changes, from the sandbox: start, snapshot end and job end per watched job (ms). */
  events: { id: string; startMs: number; snapshotEndMs?: number; endMs?: number }[];
  /** Simulated ms of the first step. */
  t0Ms: number;
  peakRssMb: number;
  /** Peak V8 heap in use: the live part of the RSS. */
  peakHeapMb: number;
  wallSeconds: number;
  /** `burst`: the commands' outcomes and the budget's low-water mark. */
  commands?: {
    sent: number;
    answered: number;
    failed: number;
    tooManyRequests: number;
    answers: Record<string, number>;
  };
  budget?: { capacity: number; lowest: number; refused: number };
}
