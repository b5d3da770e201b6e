import type { SubscriptionFleet } from '../../src/azure/subscription-fleet.js';
import { createBackupService } from '../../src/azure/create-backup-service.js';
import { toErrorView } from '../../src/chat/error-view.js';
import { loadConfig } from '../../src/config.js';
import type { AppError } from '../../src/domain/index.js';
import { isAppError } from '../../src/domain/index.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { SANDBOX_BOTH_SUBSCRIPTIONS } from '../../src/sandbox/seed-ids.js';

/** The bot's settings for both sandbox subscriptions, each with its default vault (issue 18). */
export const TWO_SUBSCRIPTIONS: Record<string, string> = {
  BACKUP_MODE: 'sandbox',
  AZURE_SUBSCRIPTION_IDS: SANDBOX_BOTH_SUBSCRIPTIONS,
};

export interface Harness {
  sandbox: Sandbox;
  service: SubscriptionFleet;
  /** Moves the sandbox's simulated clock. */
  advanceMinutes(minutes: number): void;
  /** ARM requests of a method the sandbox has answered so far. */
  count(method: string): number;
  close(): Promise<void>;
}

/**
 * The real SDK clients against a fresh sandbox over HTTPS, with a stopped clock and fast polling
 * so tests step time by hand.
 */
export async function startHarness(
  options: SandboxOptions = {},
  env: Record<string, string> = {},
): Promise<Harness> {
  const sandbox = await startSandbox({
    clockSpeed: 0,
    asyncRetryAfterSeconds: 0,
    rateLimit: false,
    ...options,
    faults: { retryAfterMs: 5, ...options.faults },
  });
  const azure = loadConfig(env).azure;
  const service = createBackupService({
    azure: {
      ...azure,
      retry: { maxRetries: 8, retryDelayInMs: 5, maxRetryDelayInMs: 50 },
      operationPollMaxIntervalMs: 10,
      operationTimeoutMs: 15_000,
    },
    sandbox,
    now: () => sandbox.clock.now(),
  });
  return {
    sandbox,
    service,
    advanceMinutes: (m) => sandbox.clock.advance(m * 60_000),
    count: (method) => sandbox.requestLog.filter((r) => r.method === method).length,
    close: () => sandbox.close(),
  };
}

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
export async function appErrorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw new Error(`expected an AppError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** An error's suggestions as a chat user reads them. */
export function hintOf(e: AppError): string | undefined {
  return toErrorView(e).hint;
}
