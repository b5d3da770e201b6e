import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxClient } from './sandbox-client.js';
import { SUB, itemPath, openSandbox } from './sandbox-client.js';

/** The control routes load tests and the benchmark use: a fleet of protected VMs, and the jobs' real timeline. */
describe('sandbox load routes', () => {
  let c: SandboxClient;
  beforeAll(async () => {
    c = await openSandbox();
  });
  afterAll(() => c.close());

  it('adds a fleet of protected VMs spread over new vaults, each with an Enhanced policy', async () => {
    const r = await c.call('POST', `${c.sb.url}/_sandbox/fleet?prefix=load&vms=6&vaults=3`);
    expect(r.status).toBe(201);
    const vms = r.body.vms as { vm: string; vault: string; resourceGroup: string }[];
    expect(vms.map((v) => v.vault)).toEqual([
      'rsv-load-0',
      'rsv-load-1',
      'rsv-load-2',
      'rsv-load-0',
      'rsv-load-1',
      'rsv-load-2',
    ]);
    // Seen through ARM as any client would: the vault's protected items and its Enhanced policy.
    const vault = `${SUB}/resourceGroups/rg-load/providers/Microsoft.RecoveryServices/vaults/rsv-load-1`;
    const items = await c.call('GET', `${vault}/backupProtectedItems`);
    expect(
      items.body.value.map((i: { properties: { friendlyName: string } }) => i.properties.friendlyName).sort(),
    ).toEqual(['load-1', 'load-4']);
    const policy = await c.call('GET', `${vault}/backupPolicies/EnhancedPolicy`);
    expect(policy.status).toBe(200);
    // A backup asked through ARM works on a fleet VM like on any other.
    const accepted = await c.call('POST', `${itemPath('rg-load', 'load-4', vault)}/backup`, {
      properties: {
        objectType: 'IaasVMBackupRequest',
        recoveryPointExpiryTimeInUTC: new Date(c.sb.clock.now().getTime() + 7 * 86_400_000).toISOString(),
      },
    });
    expect(accepted.status).toBe(202);
  });

  it('refuses a fleet it cannot make, with the reason', async () => {
    const r = await c.call('POST', `${c.sb.url}/_sandbox/fleet?prefix=bad&vms=0`);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/1 to 5000 VMs/);
  });

  it('tells when each job really changed phase', async () => {
    const { jobId } = (await c.call('POST', `${c.sb.url}/_sandbox/vms/myVM/scheduled-backup`)).body as {
      jobId: string;
    };
    const startedAt = c.sb.clock.now().getTime();
    c.sb.clock.advance(8 * 60_000);
    const during = (await c.call('GET', `${c.sb.url}/_sandbox/jobs`)).body.jobs.find(
      (j: { id: string }) => j.id === jobId,
    );
    expect(during).toMatchObject({
      vm: 'myVM',
      operation: 'Backup',
      status: 'InProgress',
      snapshotEndMs: startedAt + 8 * 60_000,
    });
    expect(during.endMs).toBeUndefined();
    c.sb.clock.advance(40 * 60_000);
    const after = (await c.call('GET', `${c.sb.url}/_sandbox/jobs`)).body.jobs.find(
      (j: { id: string }) => j.id === jobId,
    );
    expect(after).toMatchObject({ status: 'Completed', endMs: startedAt + 41 * 60_000 });
  });
});
