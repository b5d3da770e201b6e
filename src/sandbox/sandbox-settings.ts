import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvReader } from '../domain/env-reader.js';

export interface SandboxFaultSettings {
  throttleRate: number;
  serverErrorRate: number;
  latencyMs: number;
  retryAfterMs: number;
}

export interface SandboxSettings {
  /** 0 picks a free port. */
  port: number;
  /** Simulated seconds per real second; 0 stops the clock (tests step it by hand). */
  clockSpeed: number;
  snapshotMinutes: number;
  transferMinutes: number;
  /**
   * Multiplies the recorded durations of long-running operations (enable ~92 s). Default 1, or 0
   * with a stopped clock (tests that step time by hand), where they could otherwise never finish.
   */
  operationTimeScale: number;
  faults: SandboxFaultSettings;
  /** Seed of the fault-injection random numbers, so a run can be repeated. */
  seed: number;
  /** Where `npm run sandbox` writes its certificate and a bot given SANDBOX_URL reads it. */
  certificateFile: string;
  /** The Recovery Services request budget the sandbox enforces (token bucket), or off. */
  requestBudget: { capacity: number; refillPerSecond: number } | false;
  /**
   * A sandbox already running elsewhere (`npm run sandbox`), shared by several bots, instead of one
   * embedded in this process; with the file of the certificate it serves.
   */
  external?: { url: string; caFile: string };
}

/** Where `npm run sandbox` writes its certificate, and where a bot given SANDBOX_URL looks for it. */
export const SANDBOX_CERTIFICATE_FILE = join(tmpdir(), 'backup-chatops-sandbox.pem');

/**
 * SANDBOX_*: the local Azure's clock, faults and request budget, the same for the embedded one and
 * `npm run sandbox`; SANDBOX_URL (a shared one) only counts when `inUse` (BACKUP_MODE=sandbox).
 */
export function readSandboxSettings(read: EnvReader, inUse: boolean): SandboxSettings {
  const clockSpeed = read.number('SANDBOX_CLOCK_SPEED', 60, 0, 100_000);
  const settings: SandboxSettings = {
    port: read.int('SANDBOX_PORT', 0, 0, 65_535),
    clockSpeed,
    operationTimeScale: read.number('SANDBOX_OPERATION_TIME_SCALE', clockSpeed === 0 ? 0 : 1, 0, 1_000),
    snapshotMinutes: read.number('SANDBOX_SNAPSHOT_MINUTES', 8, 0.01, 10_000),
    transferMinutes: read.number('SANDBOX_TRANSFER_MINUTES', 33, 0.01, 100_000),
    faults: {
      throttleRate: read.number('SANDBOX_THROTTLE_RATE', 0, 0, 1),
      serverErrorRate: read.number('SANDBOX_SERVER_ERROR_RATE', 0, 0, 1),
      latencyMs: read.int('SANDBOX_LATENCY_MS', 0, 0, 60_000),
      retryAfterMs: read.int('SANDBOX_RETRY_AFTER_MS', 1_000, 0, 600_000),
    },
    seed: read.int('SANDBOX_SEED', 1, 0, 2 ** 31 - 1),
    certificateFile: read.string('SANDBOX_CA_FILE') ?? SANDBOX_CERTIFICATE_FILE,
    requestBudget: readRequestBudget(read),
  };
  const sharedSandbox = read.url('SANDBOX_URL');
  if (sharedSandbox && inUse) {
    settings.external = { url: sharedSandbox.replace(/\/+$/, ''), caFile: settings.certificateFile };
  }
  return settings;
}

/** SANDBOX_REQUEST_BUDGET: `<capacity>/<refill per second>` (default 300/10, as Azure's), or `off`. */
function readRequestBudget(read: EnvReader): SandboxSettings['requestBudget'] {
  const raw = read.string('SANDBOX_REQUEST_BUDGET');
  if (raw === 'off') return false;
  const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(raw ?? '300/10');
  const capacity = Number(m?.[1]);
  const refillPerSecond = Number(m?.[2]);
  if (!m || capacity < 1 || capacity > 1_000_000 || refillPerSecond > 100_000) {
    read.problem(`SANDBOX_REQUEST_BUDGET must be <capacity>/<refill per second> (like 300/10) or off.`);
    return false;
  }
  return { capacity, refillPerSecond };
}
