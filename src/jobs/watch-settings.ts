import type { EnvReader } from '../domain/env-reader.js';

export interface WatchSettings {
  /** Pause between two JobWatcher rounds. */
  watchIntervalMs: number;
  /** How long a replica's lease of a vault lasts unrenewed: the takeover delay when one dies. */
  watchLeaseMs: number;
}

/** WATCH_INTERVAL_MS (faster beside the sandbox) and WATCH_LEASE_MS (three rounds at least). */
export function readWatchSettings(read: EnvReader, sandbox: boolean): WatchSettings {
  const watchIntervalMs = read.int('WATCH_INTERVAL_MS', sandbox ? 1_000 : 15_000, 50, 600_000);
  return {
    watchIntervalMs,
    watchLeaseMs: read.int('WATCH_LEASE_MS', Math.max(30_000, 3 * watchIntervalMs), 1_000, 3_600_000),
  };
}
