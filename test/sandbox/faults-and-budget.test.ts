import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import type { Answer, SandboxClient } from './sandbox-client.js';
import { SUB, VAULT, openSandbox } from './sandbox-client.js';

/** A control route request: no auth, no api-version. */
function control(c: SandboxClient, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${c.sb.url}${path}`, { method, ca: c.sb.certificatePem }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? JSON.parse(text) : undefined,
        }),
      );
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('sandbox fault injection', () => {
  let c: SandboxClient;
  afterEach(() => c.close());

  it('throttles the configured share of requests, identically for the same seed, with both retry headers', async () => {
    const run = async () => {
      const s = await openSandbox({ faults: { throttleRate: 0.3, retryAfterMs: 1500 }, seed: 42 });
      const statuses: number[] = [];
      let throttled: Answer | undefined;
      for (let i = 0; i < 200; i++) {
        const r = await s.call('GET', `${VAULT}/backupPolicies`);
        statuses.push(r.status);
        if (r.status === 429) throttled = r;
      }
      const stats = s.sb.faults.stats();
      await s.close();
      return { statuses, throttled, stats };
    };
    const a = await run();
    const b = await run();
    expect(a.statuses).toEqual(b.statuses);
    const share = a.statuses.filter((s) => s === 429).length / a.statuses.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    expect(a.throttled?.headers['retry-after']).toBe('2');
    expect(a.throttled?.headers['retry-after-ms']).toBe('1500');
    expect(a.throttled?.body.error.code).toBe('TooManyRequests');
    expect(a.stats).toMatchObject({ requests: 200, throttled: a.statuses.filter((s) => s === 429).length });
    c = await openSandbox();
  });

  it('answers 500 and 503 ARM errors at the configured rate, before the request has any effect', async () => {
    c = await openSandbox({ faults: { serverErrorRate: 1 }, seed: 7 });
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await c.call('PUT', `${SUB}/resourcegroups/rg-new-${i}`, { location: 'westus' });
      expect([500, 503]).toContain(r.status);
      codes.add(r.body.error.code as string);
    }
    expect(codes).toEqual(new Set(['InternalServerError', 'ServiceUnavailable']));
    expect(c.sb.world.resourceGroups.size).toBe(3);
    expect(c.sb.faults.stats().serverErrors).toBe(20);
  });

  it('fails the next matching requests with an injected ARM error, then recovers', async () => {
    c = await openSandbox();
    c.sb.faults.inject({
      method: 'get',
      pathIncludes: 'BACKUPPOLICIES',
      status: 403,
      code: 'AuthorizationFailed',
      message: 'The client does not have authorization to perform action.',
      times: 2,
    });
    expect((await c.call('GET', `${VAULT}/backupJobs`)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const r = await c.call('GET', `${VAULT}/backupPolicies`);
      expect(r.status).toBe(403);
      expect(r.body).toEqual({
        error: {
          code: 'AuthorizationFailed',
          message: 'The client does not have authorization to perform action.',
        },
      });
    }
    expect((await c.call('GET', `${VAULT}/backupPolicies`)).status).toBe(200);
    expect(c.sb.faults.stats().injected).toBe(2);
  });

  it('delays every answer by the configured latency', async () => {
    c = await openSandbox({ faults: { latencyMs: 60 } });
    const t0 = Date.now();
    await c.call('GET', VAULT);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it('serves control routes without auth, never faulted', async () => {
    c = await openSandbox({ faults: { throttleRate: 1 } });
    expect((await control(c, 'GET', '/_sandbox/health')).body.status).toBe('ok');
    const before = Date.parse((await control(c, 'GET', '/_sandbox/clock')).body.now);
    const advanced = await control(c, 'POST', '/_sandbox/clock/advance?ms=60000');
    expect(advanced.status).toBe(200);
    expect(Date.parse(advanced.body.now) - before).toBe(60_000);
    expect((await c.call('GET', VAULT)).status).toBe(429);

    const set = await control(c, 'PUT', '/_sandbox/faults', { throttleRate: 0 });
    expect(set.body.throttleRate).toBe(0);
    expect((await c.call('GET', VAULT)).status).toBe(200);
    expect((await control(c, 'PUT', '/_sandbox/faults', { throttleRate: 2 })).status).toBe(400);
    expect((await control(c, 'PUT', '/_sandbox/faults', { throtleRate: 0.1 })).status).toBe(400);

    expect((await control(c, 'POST', '/_sandbox/vms/myVM/fail-next?phase=snapshot')).status).toBe(200);
    expect(c.sb.world.plannedFailures.get('myvm')).toBe('snapshot');
    expect((await control(c, 'POST', '/_sandbox/vms/nope/fail-next?phase=snapshot')).status).toBe(404);
    expect((await control(c, 'POST', '/_sandbox/vms/myVM/fail-next?phase=later')).status).toBe(400);
  });
});

describe('sandbox Recovery Services request budget', () => {
  let c: SandboxClient;
  afterEach(() => c.close());

  it('reports the remaining budget on each Recovery Services answer and throttles when it is used up', async () => {
    c = await openSandbox({ rateLimit: { capacity: 5, refillPerSecond: 0.5 } });
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await c.call('GET', `${VAULT}/backupPolicies`);
      remaining.push(String(r.headers['x-ms-ratelimit-remaining-subscription-resource-requests']));
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const throttled = await c.call('GET', `${VAULT}/backupJobs`);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('TooManyRequests');
    const waitMs = Number(throttled.headers['retry-after-ms']);
    expect(waitMs).toBeGreaterThan(1000);
    expect(waitMs).toBeLessThanOrEqual(2000);
    expect(throttled.headers['retry-after']).toBe(String(Math.ceil(waitMs / 1000)));
    // Compute is not Recovery Services: it has no such budget.
    const vms = await c.call('GET', `${SUB}/providers/Microsoft.Compute/virtualMachines`);
    expect(vms.status).toBe(200);
    expect(vms.headers['x-ms-ratelimit-remaining-subscription-resource-requests']).toBeUndefined();
  });

  it('refills the budget in real time', async () => {
    c = await openSandbox({ rateLimit: { capacity: 2, refillPerSecond: 5 } });
    await c.call('GET', VAULT);
    await c.call('GET', VAULT);
    expect((await c.call('GET', VAULT)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 250));
    expect((await c.call('GET', VAULT)).status).toBe(200);
  });
});
