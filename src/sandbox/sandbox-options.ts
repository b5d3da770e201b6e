import type { SandboxSettings } from './sandbox-settings.js';
import type { SandboxOptions } from './server.js';

/** The sandbox as configured (SANDBOX_*): the same for the embedded one and `npm run sandbox`. */
export function sandboxOptionsOf(s: SandboxSettings): SandboxOptions {
  return {
    port: s.port,
    clockSpeed: s.clockSpeed,
    snapshotMinutes: s.snapshotMinutes,
    transferMinutes: s.transferMinutes,
    operationTimeScale: s.operationTimeScale,
    faults: s.faults,
    seed: s.seed,
    rateLimit: s.requestBudget,
  };
}
