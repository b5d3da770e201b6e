import type { AsyncOperations } from './async-operations.js';
import type { JobEngine } from './job-engine.js';
import type { RequestBudget } from './request-budget.js';
import type { SimulatedClock } from './simulated-clock.js';
import type { SandboxWorld } from './world.js';

/** What the route modules share. */
export interface SandboxContext {
  world: SandboxWorld;
  clock: SimulatedClock;
  engine: JobEngine;
  operations: AsyncOperations;
  /** Retry-After sent on 202 answers, in seconds. */
  asyncRetryAfterSeconds: number;
  jobPageSize: number;
  /** Recovery Services' request budget, when on (read by the benchmarks' control route). */
  requestBudget?: RequestBudget;
}

export const SUB = '/subscriptions/{subscriptionId}';
export const RG = `${SUB}/resourceGroups/{resourceGroupName}`;
export const VAULT = `${RG}/providers/Microsoft.RecoveryServices/vaults/{vaultName}`;
export const ITEM = `${VAULT}/backupFabrics/{fabricName}/protectionContainers/{containerName}/protectedItems/{protectedItemName}`;
