import { propertyBagTime } from '../../src/sandbox/routes/backup-jobs.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxClient } from './sandbox-client.js';
import { DAY_MS, itemPath, openSandbox, tasksOf } from './sandbox-client.js';

const MIN = 60_000;

describe('sandbox job engine', () => {
  let c: SandboxClient;
  beforeEach(async () => {
    c = await openSandbox();
  });
  afterEach(() => c.close());

  const backup = async (vm = 'myVM'): Promise<string> => {
    const status = await c.finalStatus(await c.trigger(vm));
    expect(status.status).toBe('Succeeded');
    return status.properties.jobId as string;
  };
  const points = async (vm = 'myVM') =>
    (await c.call('GET', `${itemPath('rg-workloads', vm)}/recoveryPoints`)).body.value;

  it('takes the snapshot, then transfers, then adds a recovery point, on the simulated clock', async () => {
    const started = c.sb.clock.now();
    const id = await backup();
    const first = await c.job(id);
    expect(first).toMatchObject({
      jobType: 'AzureIaaSVMJob',
      operation: 'Backup',
      status: 'InProgress',
      entityFriendlyName: 'myVM',
      backupManagementType: 'AzureIaasVM',
      extendedInfo: { propertyBag: { 'VM Name': 'myVM' } },
    });
    expect(tasksOf(first)).toBe('Take Snapshot:InProgress, Transfer data to vault:NotStarted');
    const before = (await points()).length;

    c.sb.clock.advance(8 * MIN);
    const transferring = await c.job(id);
    expect(tasksOf(transferring)).toBe('Take Snapshot:Completed, Transfer data to vault:InProgress');
    expect(transferring.status).toBe('InProgress');
    expect(transferring.extendedInfo.tasksList[0]).toMatchObject({
      startTime: started.toISOString(),
      endTime: new Date(started.getTime() + 8 * MIN).toISOString(),
      duration: 'PT8M',
    });
    expect((await points()).length).toBe(before);

    c.sb.clock.advance(33 * MIN);
    const done = await c.job(id);
    expect(done).toMatchObject({ status: 'Completed', duration: 'PT41M' });
    expect(done.extendedInfo.tasksList[1]).toMatchObject({ status: 'Completed', duration: 'PT33M' });
    const after = await points();
    expect(after.length).toBe(before + 1);
    expect(after[0].properties).toMatchObject({
      objectType: 'IaasVMRecoveryPoint',
      recoveryPointType: 'AppConsistent',
      recoveryPointTime: new Date(started.getTime() + 8 * MIN).toISOString(),
      recoveryPointTierDetails: [
        { type: 'InstantRP', status: 'Valid' },
        { type: 'HardenedRP', status: 'Valid' },
      ],
      extendedLocation: { type: 'EdgeZone', name: 'losangeles' },
    });
    const item = (await c.call('GET', itemPath('rg-workloads', 'myVM'))).body.properties;
    expect(item).toMatchObject({
      lastBackupStatus: 'Completed',
      lastRecoveryPoint: after[0].properties.recoveryPointTime,
    });
  });

  it('fails a backup asked for while a snapshot runs: 202, then a Failed operation and no job', async () => {
    const first = await backup();
    const jobsBefore = c.sb.world.jobs.length;
    const refused = await c.trigger();
    expect(refused.status).toBe(202);
    const status = await c.finalStatus(refused);
    expect(status).toMatchObject({
      status: 'Failed',
      error: { code: 'UserErrorBackupOperationInProgress', message: expect.stringContaining(first) },
    });
    expect(status.properties).toBeUndefined();
    expect(c.sb.world.jobs.length).toBe(jobsBefore);
    const result = await c.call('GET', String(refused.headers.location));
    expect(result.body.error.code).toBe('UserErrorBackupOperationInProgress');
  });

  it('starts a backup asked for during a transfer, and skips its transfer while the earlier one runs', async () => {
    const first = await backup();
    c.sb.clock.advance(8 * MIN);
    const second = await backup();
    c.sb.clock.advance(8 * MIN);
    const s = await c.job(second);
    expect(tasksOf(s)).toBe('Take Snapshot:Completed, Transfer data to vault:Skipped');
    expect(s.status).toBe('Completed');
    expect(s.extendedInfo.tasksList[1].duration).toBe('PT0S');
    expect((await c.job(first)).status).toBe('InProgress');
    c.sb.clock.advance(25 * MIN);
    expect((await c.job(first)).status).toBe('Completed');
  });

  it('processes the events of one long clock step in time order, as in short steps', async () => {
    const first = await backup();
    c.sb.clock.advance(8 * MIN);
    expect((await c.job(first)).status).toBe('InProgress'); // the engine has looked: nothing due until 41 min
    const second = await backup(); // during the first one's transfer
    c.sb.clock.advance(60 * MIN);
    // The second snapshot ended (16 min) before the first transfer did (41 min): skipped, rule 8.
    const s = await c.job(second);
    expect(tasksOf(s)).toBe('Take Snapshot:Completed, Transfer data to vault:Skipped');
    expect(s.duration).toBe('PT8M');
    const f = await c.job(first);
    expect(f).toMatchObject({ status: 'Completed', duration: 'PT41M' });
  });

  it('ends CompletedWithWarnings when the transfer fails, with the error in errorDetails', async () => {
    const before = (await points()).length;
    c.sb.failNextBackup('myVM', 'transfer');
    const id = await backup();
    c.sb.clock.advance(45 * MIN);
    const j = await c.job(id);
    expect(j.status).toBe('CompletedWithWarnings');
    expect(tasksOf(j)).toBe('Take Snapshot:Completed, Transfer data to vault:Failed');
    expect(j.errorDetails).toEqual([
      {
        errorCode: expect.any(Number),
        errorTitle: 'CopyingVHDsFromBackUpVaultTakingLongTime',
        errorString: expect.any(String),
        recommendations: [expect.any(String)],
      },
    ]);
    expect((await points()).length).toBe(before);
  });

  it('fails the job when the snapshot fails: both phases Failed', async () => {
    c.sb.failNextBackup('myVM', 'snapshot');
    const id = await backup();
    c.sb.clock.advance(10 * MIN);
    const j = await c.job(id);
    expect(j.status).toBe('Failed');
    expect(tasksOf(j)).toBe('Take Snapshot:Failed, Transfer data to vault:Failed');
    expect(j.errorDetails[0].errorTitle).toBe('ExtensionSnapshotFailedNoNetwork');
    expect((await c.call('GET', itemPath('rg-workloads', 'myVM'))).body.properties).toMatchObject({
      lastBackupStatus: 'Failed',
      healthStatus: 'ActionRequired',
    });
    // A planned failure is used once.
    const next = await backup();
    c.sb.clock.advance(41 * MIN);
    expect((await c.job(next)).status).toBe('Completed');
  });

  it('fails the snapshot of a running VM whose agent is too old or missing, not when enabling', async () => {
    for (const vm of ['legacy-win-01', 'win-noagent-01']) {
      expect((await c.finalStatus(await c.enable('rg-workloads', vm, 'DefaultPolicy'))).status).toBe(
        'Succeeded',
      );
      const id = await backup(vm);
      c.sb.clock.advance(9 * MIN);
      const j = await c.job(id);
      expect(j.status).toBe('Failed');
      expect(j.errorDetails[0].errorTitle).toBe('UserErrorGuestAgentStatusUnavailable');
    }
  });

  it('gives a crash-consistent point for a deallocated VM', async () => {
    await c.finalStatus(await c.enable('rg-workloads', 'web-linux-01', 'DefaultPolicy'));
    const id = await backup('web-linux-01');
    c.sb.clock.advance(41 * MIN);
    expect((await c.job(id)).status).toBe('Completed');
    const [point] = await points('web-linux-01');
    expect(point.properties.recoveryPointType).toBe('CrashConsistent');
    expect(point.properties.extendedLocation).toBeUndefined();
  });

  it('keeps an on-demand point until the date asked for, within 99 years from now', async () => {
    const now = c.sb.clock.now().getTime();
    const past = await c.trigger('myVM', new Date(now - 1000));
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('BMSUserErrorInvalidRetentionDate');
    expect((await c.trigger('myVM', new Date(now + 100 * 365 * DAY_MS))).status).toBe(400);
    expect((await c.trigger('myVM', 'next tuesday')).status).toBe(400);
    const until = new Date(now + 7 * DAY_MS);
    const id = (await c.finalStatus(await c.trigger('myVM', until))).properties.jobId as string;
    c.sb.clock.advance(41 * MIN);
    // As recorded: the key's casing, and .NET's invariant time format.
    expect((await c.job(id)).extendedInfo.propertyBag['Recovery Point Expiry Time in UTC']).toBe(
      propertyBagTime(until.toISOString()),
    );
  });

  it('refuses a backup of a VM the vault does not protect', async () => {
    const r = await c.trigger('web-linux-01');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('BMSUserErrorDataSourceObjectNotFound');
  });

  it('advances on its own with a running clock', async () => {
    await c.close();
    c = await openSandbox({ clockSpeed: 60 * 60 * 24, snapshotMinutes: 1, transferMinutes: 1 });
    const id = await backup();
    await new Promise((r) => setTimeout(r, 50)); // 50 ms × 86,400 ≈ 72 simulated minutes
    expect((await c.job(id)).status).toBe('Completed');
  });
});
