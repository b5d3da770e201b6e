import { afterEach, describe, expect, it } from 'vitest';
import type { Json, SandboxClient } from './sandbox-client.js';
import { VAULT, openSandbox } from './sandbox-client.js';

const list = (c: SandboxClient, filter?: string) =>
  c.call('GET', `${VAULT}/backupJobs${filter === undefined ? '' : `?$filter=${encodeURIComponent(filter)}`}`);

/** 'yyyy-MM-dd hh:mm:ss AM' in UTC, as the job list filter takes times. */
function filterTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const h = d.getUTCHours();
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(h % 12 || 12)}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

describe('sandbox job list', () => {
  let c: SandboxClient;
  afterEach(() => c.close());

  it('lists the seeded history newest first, without task lists but with error details', async () => {
    c = await openSandbox({ startTime: new Date('2026-11-22T12:00:00Z') });
    const r = await list(c);
    const jobs: Json[] = r.body.value;
    expect(jobs.map((j) => `${j.properties.operation}:${j.properties.status}`)).toEqual([
      'Backup:Completed',
      'Backup:CompletedWithWarnings',
      'Backup:Completed',
      'Backup:Failed',
      'ConfigureBackup:Completed',
    ]);
    const starts = jobs.map((j) => Date.parse(j.properties.startTime));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    for (const j of jobs) {
      expect(j.properties.extendedInfo).toBeUndefined();
      expect(j).toMatchObject({
        type: 'Microsoft.RecoveryServices/vaults/backupJobs',
        properties: { jobType: 'AzureIaaSVMJob' },
      });
    }
    expect(jobs[0].properties).not.toHaveProperty('isUserTriggered');
    expect(jobs[0].properties).toMatchObject({
      duration: 'PT41M',
      entityFriendlyName: 'myVM',
    });
    expect(jobs[3].properties.errorDetails[0].errorTitle).toBe('ExtensionSnapshotFailedNoNetwork');
    expect(r.body.nextLink).toBeUndefined();
  });

  it('filters by status, operation, management type and a start-time window', async () => {
    c = await openSandbox({ startTime: new Date('2026-11-22T12:00:00Z') });
    const statuses = async (filter: string) =>
      (await list(c, filter)).body.value.map((j: Json) => j.properties.status as string);
    expect(await statuses("status eq 'Failed'")).toEqual(['Failed']);
    expect(await statuses("status eq 'CompletedWithWarnings' and operation eq 'Backup'")).toEqual([
      'CompletedWithWarnings',
    ]);
    expect(
      await statuses("operation eq 'ConfigureBackup' and backupManagementType eq 'AzureIaasVM'"),
    ).toEqual(['Completed']);
    expect(await statuses("backupManagementType eq 'MAB'")).toEqual([]);
    // The last 36 hours: the two most recent backups (yesterday 08:00 and 12:00 UTC).
    const window = `startTime eq '${filterTime(new Date('2026-11-21T00:00:00Z'))}' and endTime eq '${filterTime(new Date('2026-11-22T12:00:00Z'))}'`;
    expect(window).toBe("startTime eq '2026-11-21 12:00:00 AM' and endTime eq '2026-11-22 12:00:00 PM'");
    expect(await statuses(window)).toEqual(['Completed', 'CompletedWithWarnings']);
    expect(
      await statuses("startTime eq '2000-01-01 12:00:00 AM' and endTime eq '2000-01-02 01:30:00 PM'"),
    ).toEqual([]);
  });

  it('refuses filters the service does not take with 400', async () => {
    c = await openSandbox();
    for (const filter of [
      "vmName eq 'myVM'",
      "status eq 'Done'",
      "operation eq 'Reboot'",
      "status ne 'Failed'",
      "startTime eq '2026-11-22T13:00:00Z'",
      "status eq 'Failed' or status eq 'Completed'",
      "status eq 'Failed' and status eq 'Completed'",
    ]) {
      const r = await list(c, filter);
      expect(r.status, filter).toBe(400);
      expect(r.body.error.code).toBe('BMSUserErrorInvalidInput');
    }
  });

  it('pages with an absolute nextLink carrying the filter and a skip token', async () => {
    c = await openSandbox({ jobPageSize: 2 });
    const first = await list(c, "backupManagementType eq 'AzureIaasVM'");
    expect(first.body.value).toHaveLength(2);
    const next = new URL(first.body.nextLink as string);
    expect(next.origin).toBe(c.sb.url);
    expect(next.searchParams.get('$filter')).toBe("backupManagementType eq 'AzureIaasVM'");
    expect(next.searchParams.get('$skiptoken')).toBe('2');
    expect(next.searchParams.get('api-version')).toBe('2023-06-01');
    const second = await c.call('GET', next.toString());
    const third = await c.call('GET', second.body.nextLink as string);
    expect(third.body.value).toHaveLength(1);
    expect(third.body.nextLink).toBeUndefined();
    const ids = [first, second, third].flatMap((p) => p.body.value.map((j: Json) => j.name));
    expect(new Set(ids).size).toBe(5);
    // The SDK's own spelling of the parameter is accepted too.
    const viaSdk = await c.call('GET', `${VAULT}/backupJobs?$skipToken=4`);
    expect(viaSdk.body.value.map((j: Json) => j.name)).toEqual([ids[4]]);
    expect((await c.call('GET', `${VAULT}/backupJobs?$skipToken=abc`)).status).toBe(400);
  });

  it('shows a new job in the list as soon as it starts', async () => {
    c = await openSandbox();
    const id = (await c.finalStatus(await c.trigger())).properties.jobId as string;
    const inProgress = await list(c, "status eq 'InProgress'");
    expect(inProgress.body.value.map((j: Json) => j.name)).toEqual([id]);
    expect(inProgress.body.value[0].properties).toMatchObject({ operation: 'Backup' });
  });
});
