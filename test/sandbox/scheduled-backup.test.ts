import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxClient } from './sandbox-client.js';
import { VAULT, openSandbox } from './sandbox-client.js';

/** Scheduled backups: started by the control route as a policy's schedule would, reported as Azure does. */
describe('sandbox scheduled backups', () => {
  let c: SandboxClient;
  beforeAll(async () => {
    c = await openSandbox();
  });
  afterAll(() => c.close());

  const schedule = (vm: string) => c.call('POST', `${c.sb.url}/_sandbox/vms/${vm}/scheduled-backup`);

  it('starts a backup whose job, like a recorded live one, does not say who started it', async () => {
    const started = await schedule('myVM');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ vm: 'myVM', isUserTriggered: false });
    const id = started.body.jobId as string;
    const details = await c.job(id);
    expect(details).toMatchObject({ operation: 'Backup', status: 'InProgress' });
    expect(details).not.toHaveProperty('isUserTriggered');
    expect(details.extendedInfo.tasksList[0]).toMatchObject({
      taskId: 'Take Snapshot',
      status: 'InProgress',
    });
    const list = await c.call('GET', `${VAULT}/backupJobs`);
    const listed = list.body.value.find((j: { name: string }) => j.name === id);
    expect(listed.properties).not.toHaveProperty('isUserTriggered');
    expect(listed.properties.extendedInfo).toBeUndefined();
  });

  it('a backup asked for through ARM does not say so either', async () => {
    c.sb.clock.advance(60 * 60_000);
    const accepted = await c.trigger('myVM');
    const done = await c.finalStatus(accepted);
    expect(await c.job(done.properties.jobId)).not.toHaveProperty('isUserTriggered');
  });

  it('takes a planned failure like any backup: a failed snapshot fails the scheduled job with its error', async () => {
    c.sb.clock.advance(60 * 60_000);
    await c.call('POST', `${c.sb.url}/_sandbox/vms/myVM/fail-next?phase=snapshot`);
    const id = (await schedule('myVM')).body.jobId as string;
    c.sb.clock.advance(9 * 60_000);
    const details = await c.job(id);
    expect(details).toMatchObject({ status: 'Failed' });
    expect(details.errorDetails[0]).toMatchObject({ errorTitle: 'ExtensionSnapshotFailedNoNetwork' });
  });

  it('refuses a VM that does not exist or is not protected', async () => {
    expect((await schedule('no-such-vm')).status).toBe(404);
    const unprotected = await schedule('web-linux-01');
    expect(unprotected.status).toBe(404);
    expect(unprotected.body.error.code).toBe('BMSUserErrorItemNotFound');
  });
});
