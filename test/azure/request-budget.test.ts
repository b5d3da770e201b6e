import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubscriptionFleet } from '../../src/azure/subscription-fleet.js';
import { createBackupService } from '../../src/azure/create-backup-service.js';
import { inBackground } from '../../src/azure/request-budget-scheduler.js';
import { loadConfig } from '../../src/config.js';
import { isAppError } from '../../src/domain/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { startSandbox } from '../../src/sandbox/server.js';

/**
 * The Recovery Services request budget (x-ms-ratelimit-remaining-subscription-resource-requests),
 * spent through one scheduler: a burst of people's commands larger than the budget is queued, not
 * failed, and the watcher's background reads wait above a reserve kept for people. The sandbox
 * enforces the budget as a token bucket; the SDK clients do not retry here, so a 429 would fail.
 */
describe('the Recovery Services request budget', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox.close());

  async function serviceOn(budget: { capacity: number; refillPerSecond: number }, assumedRefill: number) {
    sandbox = await startSandbox({ clockSpeed: 0, asyncRetryAfterSeconds: 0, rateLimit: budget });
    const azure = loadConfig({}).azure;
    return createBackupService({
      azure: {
        ...azure,
        retry: { maxRetries: 0, retryDelayInMs: 5, maxRetryDelayInMs: 5 },
        operationPollMaxIntervalMs: 10,
        operationTimeoutMs: 15_000,
        requestBudget: { reserve: 5, refillPerSecond: assumedRefill },
      },
      sandbox,
    });
  }

  const outcomes = (service: SubscriptionFleet, n: number) =>
    Promise.all(
      Array.from({ length: n }, () =>
        service.listJobs({ limit: 1 }).then(
          () => 'ok',
          (e: unknown) => (isAppError(e) ? e.code : String(e)),
        ),
      ),
    );

  it('queues a burst of commands larger than the budget instead of failing them', async () => {
    const service = await serviceOn({ capacity: 15, refillPerSecond: 5 }, 5);
    const results = await outcomes(service, 45);
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
    expect(sandbox.requestLog.filter((r) => r.status === 429)).toHaveLength(0);
  });

  it('keeps background work above a fifth of the budget Azure reported and the reserve, and people above the fifth', async () => {
    const service = await serviceOn({ capacity: 50, refillPerSecond: 5 }, 1);
    await service.listJobs({ limit: 1 }); // the first answer says how much there is
    await lowWater(); // from here on
    const background = await Promise.all(
      Array.from({ length: 60 }, () => inBackground(() => service.listJobs({ limit: 1 })).then(() => 'ok')),
    );
    expect(background).toEqual(Array(60).fill('ok'));
    const after = await lowWater();
    expect(after).toMatchObject({ capacity: 50, refused: 0 });
    // The floor (10) and the reserve (5) stay unspent by background reads.
    expect(after.lowest).toBeGreaterThanOrEqual(14);
    // People's commands go below the reserve but not below the floor: queued meanwhile, none failed.
    const people = await outcomes(service, 60);
    expect(people.filter((r) => r !== 'ok')).toEqual([]);
    const low = (await lowWater()).lowest;
    expect(low).toBeLessThan(14);
    expect(low).toBeGreaterThanOrEqual(9);
  });

  /** How low the sandbox's budget went since last asked. */
  function lowWater(): Promise<{ capacity: number; lowest: number; refused: number }> {
    return new Promise((resolve, reject) => {
      const req = request(`${sandbox.url}/_sandbox/budget`, { ca: sandbox.certificatePem }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve(JSON.parse(text) as { capacity: number; lowest: number; refused: number }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('fails the same burst when it assumes a budget Azure does not have (the control)', async () => {
    // Assuming a huge refill, the scheduler lets everything through at once.
    const service = await serviceOn({ capacity: 15, refillPerSecond: 5 }, 100_000);
    const results = await outcomes(service, 45);
    expect(results.filter((r) => r === 'azure.TooManyRequests').length).toBeGreaterThan(0);
  });

  it('lets background reads alone learn the budget and go on (no deadlock without people)', async () => {
    const service = await serviceOn({ capacity: 50, refillPerSecond: 20 }, 15);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => inBackground(() => service.listJobs({ limit: 1 })).then(() => 'ok')),
    );
    expect(results).toEqual(Array(10).fill('ok'));
  });

  it("keeps a reserve for people: background reads wait while people's commands go first", async () => {
    const service = await serviceOn({ capacity: 20, refillPerSecond: 4 }, 3);
    await service.listJobs({ limit: 1 }); // the first answer says how much is left
    const order: string[] = [];
    const background = Array.from({ length: 20 }, (_, i) =>
      inBackground(() => service.listJobs({ limit: 1 })).then(() => order.push(`bg${i}`)),
    );
    await new Promise((r) => setTimeout(r, 50));
    const people = Array.from({ length: 5 }, (_, i) =>
      service.listJobs({ limit: 1 }).then(() => order.push(`person${i}`)),
    );
    await Promise.all([...background, ...people]);
    const lastPerson = Math.max(...order.map((x, i) => (x.startsWith('person') ? i : -1)));
    const backgroundAfter = order.slice(lastPerson + 1).filter((x) => x.startsWith('bg')).length;
    // Every person was answered while background reads still waited for the budget to refill.
    expect(backgroundAfter).toBeGreaterThan(0);
    expect(sandbox.requestLog.filter((r) => r.status === 429)).toHaveLength(0);
  });
});
