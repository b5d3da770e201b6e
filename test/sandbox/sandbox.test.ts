import { request } from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server.js';
import { startSandbox } from '../../src/sandbox/server.js';

/**
 * The sandbox at the HTTP level, with plain HTTPS requests (no SDK): it must enforce Azure
 * Backup's rules itself, so the bot is never the only guard.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ARM JSON, read field by field in the assertions
type Json = any;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
}

const SUB = `/subscriptions/${SANDBOX_SUBSCRIPTION_ID}`;
const VAULT = `${SUB}/resourceGroups/rg-chatops/providers/Microsoft.RecoveryServices/vaults/rsv-westus`;
const item = (rg: string, vm: string) =>
  `${VAULT}/backupFabrics/Azure/protectionContainers/${encodeURIComponent(`IaasVMContainer;iaasvmcontainerv2;${rg};${vm}`)}/protectedItems/${encodeURIComponent(`VM;iaasvmcontainerv2;${rg};${vm}`)}`;
const VM_ID = (rg: string, vm: string) =>
  `${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${vm}`;

let sb: Sandbox;

async function start(options: SandboxOptions = {}): Promise<void> {
  sb = await startSandbox({ clockSpeed: 0, asyncRetryAfterSeconds: 0, rateLimit: false, ...options });
}

function call(method: string, path: string, body?: unknown, auth = true): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = path.startsWith('https://')
      ? path
      : `${sb.url}${path}${path.includes('?') ? '&' : '?'}api-version=2023-06-01`;
    const req = request(
      url,
      {
        method,
        ca: sb.certificatePem,
        headers: { ...(auth ? { authorization: 'Bearer t' } : {}), 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Follows an Azure-AsyncOperation URL to its final status. */
async function finalStatus(accepted: Answer): Promise<Json> {
  expect(accepted.status).toBe(202);
  for (let i = 0; i < 10; i++) {
    const s = await call('GET', String(accepted.headers['azure-asyncoperation']));
    if (s.body.status !== 'InProgress') return s.body;
  }
  throw new Error('operation never finished');
}

async function trigger(
  vm = 'myVM',
  expiry = new Date(sb.clock.now().getTime() + 30 * 86_400_000),
): Promise<Answer> {
  return call('POST', `${item('rg-workloads', vm)}/backup`, {
    properties: { objectType: 'IaasVMBackupRequest', recoveryPointExpiryTimeInUTC: expiry.toISOString() },
  });
}

async function job(id: string): Promise<Json> {
  return (await call('GET', `${VAULT}/backupJobs/${id}`)).body.properties;
}

const tasks = (p: { extendedInfo: { tasksList: { taskId: string; status: string }[] } }) =>
  p.extendedInfo.tasksList.map((t) => `${t.taskId}:${t.status}`).join(', ');

describe('sandbox semantics', () => {
  beforeEach(() => start());
  afterEach(() => sb.close());

  it('refuses requests without a bearer token, in ARM error shape', async () => {
    const r = await call('GET', `${VAULT}/backupJobs`, undefined, false);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      error: { code: 'AuthenticationFailed', message: expect.stringContaining('Authorization') },
    });
  });

  it('answers unknown resources with ARM 404 codes', async () => {
    expect(
      (await call('GET', `${SUB}/resourceGroups/nope/providers/Microsoft.RecoveryServices/vaults/x`)).body
        .error.code,
    ).toBe('ResourceGroupNotFound');
    expect(
      (await call('GET', `${SUB}/resourceGroups/rg-chatops/providers/Microsoft.RecoveryServices/vaults/x`))
        .body.error.code,
    ).toBe('ResourceNotFound');
    expect((await call('GET', `/subscriptions/other${VAULT.slice(SUB.length)}`)).body.error.code).toBe(
      'SubscriptionNotFound',
    );
  });

  it('refuses a vault in an Extended Zone, naming the parent region', async () => {
    const r = await call(
      'PUT',
      `${SUB}/resourceGroups/rg-chatops/providers/Microsoft.RecoveryServices/vaults/rsv-la`,
      { location: 'losangeles', sku: { name: 'Standard' }, properties: {} },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('LocationNotAvailableForResourceType');
    expect(r.body.error.message).toContain("'westus'");
  });

  it('refuses a policy whose retention is out of bounds, with the range', async () => {
    const r = await call('PUT', `${VAULT}/backupPolicies/bad`, {
      properties: {
        backupManagementType: 'AzureIaasVM',
        policyType: 'V2',
        instantRpRetentionRangeInDays: 31,
        schedulePolicy: {
          schedulePolicyType: 'SimpleSchedulePolicyV2',
          scheduleRunFrequency: 'Daily',
          dailySchedule: { scheduleRunTimes: ['2021-12-17T08:00:00Z'] },
        },
        retentionPolicy: {
          retentionPolicyType: 'LongTermRetentionPolicy',
          dailySchedule: {
            retentionTimes: ['2021-12-17T08:00:00Z'],
            retentionDuration: { count: 5, durationType: 'Days' },
          },
        },
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BMSUserErrorInvalidPolicyInput');
    expect(r.body.error.message).toContain('1–30');
    expect(r.body.error.message).toContain('7–9999');
  });

  it('refuses a standard policy for an Extended Zone VM', async () => {
    await call('POST', `${VAULT}/backupFabrics/Azure/refreshContainers`);
    const r = await call('PUT', item('rg-workloads', 'ez-linux-01'), {
      properties: {
        protectedItemType: 'Microsoft.Compute/virtualMachines',
        sourceResourceId: VM_ID('rg-workloads', 'ez-linux-01'),
        policyId: `${VAULT}/backupPolicies/DefaultPolicy`,
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BMSUserErrorEdgeZoneVMRequiresEnhancedPolicy');
  });

  it('refuses a VM of another region', async () => {
    const r = await call('PUT', item('rg-eastus', 'db-eastus-01'), {
      properties: {
        protectedItemType: 'Microsoft.Compute/virtualMachines',
        sourceResourceId: VM_ID('rg-eastus', 'db-eastus-01'),
        policyId: `${VAULT}/backupPolicies/DefaultPolicy`,
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BMSUserErrorVMNotInVaultRegion');
  });

  it('discovers ez-linux-01 only after a container refresh (202 → 204)', async () => {
    const names = async () =>
      (
        await call(
          'GET',
          `${VAULT}/backupProtectableItems?$filter=${encodeURIComponent("backupManagementType eq 'AzureIaasVM'")}`,
        )
      ).body.value.map((x: { properties: { friendlyName: string } }) => x.properties.friendlyName);
    expect(await names()).not.toContain('ez-linux-01');
    const refresh = await call('POST', `${VAULT}/backupFabrics/Azure/refreshContainers`);
    expect(refresh.status).toBe(202);
    const location = String(refresh.headers.location);
    expect((await call('GET', location)).status).toBe(202);
    expect((await call('GET', location)).status).toBe(204);
    expect(await names()).toContain('ez-linux-01');
    expect(await names()).not.toContain('myVM'); // already protected
  });

  it('moves a backup through both phases on the clock and adds a recovery point', async () => {
    const { properties } = await finalStatus(await trigger());
    const id = properties.jobId as string;
    expect(tasks(await job(id))).toBe('Take Snapshot:InProgress, Transfer data to vault:NotStarted');
    sb.clock.advance(8 * 60_000);
    expect(tasks(await job(id))).toBe('Take Snapshot:Completed, Transfer data to vault:InProgress');
    expect((await job(id)).status).toBe('InProgress');
    const before = (await call('GET', `${item('rg-workloads', 'myVM')}/recoveryPoints`)).body.value.length;
    sb.clock.advance(33 * 60_000);
    const done = await job(id);
    expect(done.status).toBe('Completed');
    expect(done.duration).toBe('PT41M');
    const points = (await call('GET', `${item('rg-workloads', 'myVM')}/recoveryPoints`)).body.value;
    expect(points.length).toBe(before + 1);
    expect(points[0].properties).toMatchObject({
      objectType: 'IaasVMRecoveryPoint',
      recoveryPointType: 'AppConsistent',
      extendedLocation: { type: 'EdgeZone', name: 'losangeles' },
    });
  });

  it('fails a backup asked for while a snapshot runs, and skips the transfer of one asked for during a transfer', async () => {
    const first = (await finalStatus(await trigger())).properties.jobId as string;
    const refused = await finalStatus(await trigger());
    expect(refused.status).toBe('Failed');
    expect(refused.error.code).toBe('UserErrorBackupOperationInProgress');
    sb.clock.advance(8 * 60_000);
    const second = (await finalStatus(await trigger())).properties.jobId as string;
    sb.clock.advance(8 * 60_000);
    const s = await job(second);
    expect(tasks(s)).toBe('Take Snapshot:Completed, Transfer data to vault:Skipped');
    expect(s.status).toBe('Completed');
    expect((await job(first)).status).toBe('InProgress');
  });

  it('reports planned failures per the portal table', async () => {
    sb.failNextBackup('myVM', 'transfer');
    const a = (await finalStatus(await trigger())).properties.jobId as string;
    sb.clock.advance(45 * 60_000);
    expect((await job(a)).status).toBe('CompletedWithWarnings');
    sb.failNextBackup('myVM', 'snapshot');
    const b = (await finalStatus(await trigger())).properties.jobId as string;
    sb.clock.advance(10 * 60_000);
    const failed = await job(b);
    expect(failed.status).toBe('Failed');
    expect(tasks(failed)).toBe('Take Snapshot:Failed, Transfer data to vault:Failed');
    expect(failed.errorDetails[0].errorTitle).toBe('ExtensionSnapshotFailedNoNetwork');
  });

  it('fails the snapshot of a running VM whose agent is too old', async () => {
    const body = {
      properties: {
        protectedItemType: 'Microsoft.Compute/virtualMachines',
        sourceResourceId: VM_ID('rg-workloads', 'legacy-win-01'),
        policyId: `${VAULT}/backupPolicies/DefaultPolicy`,
      },
    };
    expect((await finalStatus(await call('PUT', item('rg-workloads', 'legacy-win-01'), body))).status).toBe(
      'Succeeded',
    );
    const id = (await finalStatus(await trigger('legacy-win-01'))).properties.jobId as string;
    sb.clock.advance(9 * 60_000);
    const j = await job(id);
    expect(j.status).toBe('Failed');
    expect(j.errorDetails[0].errorTitle).toBe('UserErrorGuestAgentStatusUnavailable');
  });

  it('refuses a recovery point expiry in the past or beyond 99 years', async () => {
    const now = sb.clock.now().getTime();
    expect((await trigger('myVM', new Date(now - 1000))).status).toBe(400);
    expect((await trigger('myVM', new Date(now + 100 * 366 * 86_400_000))).status).toBe(400);
  });

  it('filters and pages the job list; list items carry no task list', async () => {
    await sb.close();
    await start({ jobPageSize: 2 });
    const f = encodeURIComponent("backupManagementType eq 'AzureIaasVM' and operation eq 'Backup'");
    const first = await call('GET', `${VAULT}/backupJobs?$filter=${f}`);
    expect(first.body.value).toHaveLength(2);
    expect(first.body.value[0].properties.extendedInfo).toBeUndefined();
    const second = await call('GET', first.body.nextLink as string);
    expect(second.body.value).toHaveLength(2);
    expect(second.body.nextLink).toBeUndefined();
    const failed = await call(
      'GET',
      `${VAULT}/backupJobs?$filter=${encodeURIComponent("status eq 'Failed'")}`,
    );
    expect(failed.body.value.map((j: { properties: { status: string } }) => j.properties.status)).toEqual([
      'Failed',
    ]);
    const bad = await call('GET', `${VAULT}/backupJobs?$filter=${encodeURIComponent("vmName eq 'x'")}`);
    expect(bad.status).toBe(400);
    const window = encodeURIComponent(
      "startTime eq '2000-01-01 12:00:00 AM' and endTime eq '2000-01-02 01:30:00 PM'",
    );
    expect((await call('GET', `${VAULT}/backupJobs?$filter=${window}`)).body.value).toEqual([]);
  });

  it('deletes a resource group through a long-running operation, and refuses one whose vault still protects items', async () => {
    const blocked = await call('DELETE', `${SUB}/resourcegroups/rg-chatops`);
    expect(blocked.status).toBe(409);
    const del = await call('DELETE', `${SUB}/resourcegroups/rg-eastus`);
    expect(del.status).toBe(202);
    expect((await call('GET', String(del.headers.location))).status).toBe(202);
    expect((await call('GET', String(del.headers.location))).status).toBe(200);
    expect((await call('HEAD', `${SUB}/resourcegroups/rg-eastus`)).status).toBe(404);
  });
});

describe('sandbox fault injection', () => {
  afterEach(() => sb.close());

  it('throttles the configured share of requests, the same way for the same seed, with Retry-After', async () => {
    const run = async () => {
      await start({ faults: { throttleRate: 0.3, retryAfterMs: 250 }, seed: 42 });
      const statuses: number[] = [];
      let headers: Answer['headers'] | undefined;
      for (let i = 0; i < 200; i++) {
        const r = await call('GET', `${VAULT}/backupPolicies`);
        statuses.push(r.status);
        if (r.status === 429) headers = r.headers;
      }
      await sb.close();
      return { statuses, headers };
    };
    const a = await run();
    const b = await run();
    expect(a.statuses).toEqual(b.statuses);
    const share = a.statuses.filter((s) => s === 429).length / a.statuses.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    expect(a.headers?.['retry-after']).toBe('1');
    expect(a.headers?.['retry-after-ms']).toBe('250');
    await start();
  });

  it('reports the Recovery Services request budget and throttles when it is used up', async () => {
    await start({ rateLimit: { capacity: 5, refillPerSecond: 0.5 } });
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++)
      remaining.push(
        String(
          (await call('GET', `${VAULT}/backupPolicies`)).headers[
            'x-ms-ratelimit-remaining-subscription-resource-requests'
          ],
        ),
      );
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const throttled = await call('GET', `${VAULT}/backupPolicies`);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after-ms'])).toBeGreaterThan(0);
    // Compute is not Recovery Services: no budget there.
    expect((await call('GET', `${SUB}/providers/Microsoft.Compute/virtualMachines`)).status).toBe(200);
  });

  it('answers control routes without auth and never faults them', async () => {
    await start({ faults: { throttleRate: 1 } });
    const r = await new Promise<number>((resolve) => {
      request(
        `${sb.url}/_sandbox/clock/advance?ms=60000`,
        { method: 'POST', ca: sb.certificatePem },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      ).end();
    });
    expect(r).toBe(200);
    expect((await call('GET', `${VAULT}/backupPolicies`)).status).toBe(429);
  });
});
