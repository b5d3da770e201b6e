/** The JobWatcher benchmark's plan, shared by the runner and each pass. */
export const VAULTS = 20;
export const VMS_PER_VAULT = 50;
export const STEP_S = 5;
export const HOUR_S = 3600;
/** The product watcher's default interval (WATCH_INTERVAL_MS). */
export const WATCH_EVERY_S = 15;
export const NAIVE_EVERY_S = 30;
/** Jobs start over the first ten minutes. */
export const STAGGER_S = 600;

/** What one pass reports (one JSON line on stdout). */
export interface PassFigures {
  watcher: 'product' | 'naive';
  jobs: number;
  reads: number;
  updates: { jobId: string; fingerprint: string; atMs: number }[];
  /** Real phase changes, from the sandbox: snapshot end and job end per job. */
  events: { id: string; snapshotEndMs?: number; endMs?: number }[];
  peakRssMb: number;
  /** Peak V8 heap in use: the live part of the RSS. */
  peakHeapMb: number;
  wallSeconds: number;
}
