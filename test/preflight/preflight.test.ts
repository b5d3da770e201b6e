import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows } from '../../src/domain/index.js';
import { formatPreflight, runPreflight } from '../../src/preflight/preflight.js';
import {
  SANDBOX_SUBSCRIPTION_ID,
  SANDBOX_SECOND_SUBSCRIPTION,
  SANDBOX_STAGING_ACCOUNT,
} from '../../src/sandbox/seed-ids.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness, TWO_SUBSCRIPTIONS } from '../azure/service-harness.js';

describe('permission matching', () => {
  it('matches wildcards case-insensitively, and a notAction takes the action back', () => {
    const backup =
      'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/backup/action';
    expect(allows([{ actions: ['*'], notActions: [] }], backup)).toBe(true);
    expect(allows([{ actions: ['microsoft.recoveryservices/vaults/*'], notActions: [] }], backup)).toBe(true);
    expect(allows([{ actions: ['*/read'], notActions: [] }], backup)).toBe(false);
    expect(allows([{ actions: ['*'], notActions: ['Microsoft.RecoveryServices/*/action'] }], backup)).toBe(
      false,
    );
    // Another entry (another role assignment) may still grant it.
    expect(
      allows(
        [
          { actions: ['*'], notActions: ['Microsoft.RecoveryServices/*'] },
          { actions: ['Microsoft.RecoveryServices/Vaults/backupFabrics/*'], notActions: [] },
        ],
        backup,
      ),
    ).toBe(true);
  });
});

describe('check:azure against the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const run = (on = h) =>
    runPreflight({
      service: on.service,
      readPermissions: (scope) => on.service.readPermissions(scope),
      subscriptionId: on.sandbox.world.subscriptionId,
    });

  it('reads the vault, the policies, the VMs and their agents, and finds every command allowed', async () => {
    h.sandbox.world.permissions = [{ actions: ['*'], notActions: [] }];
    const r = await run();
    expect(r.checks.map((c) => [c.name, c.ok])).toEqual([
      ['Read the default vault', true],
      ['List the backup policies', true],
      ['List the VMs', true],
      ['Read the VM agents', true],
    ]);
    expect(r.checks[0]!.detail).toContain('soft delete on (14 days)');
    expect(r.checks[3]!.detail).toMatch(/legacy-win-01: .*2\.6\.1198\.718/);
    expect(r.commands.every((c) => c.ok)).toBe(true);
    expect(r.ok).toBe(true);
    const permissionReads = h.sandbox.requestLog.filter((x) =>
      /Microsoft\.Authorization\/permissions$/i.test(x.path),
    );
    expect(permissionReads.length).toBeGreaterThanOrEqual(2);
  });

  it('says which commands a reader-only identity cannot run, and the role to grant', async () => {
    h.sandbox.world.permissions = [{ actions: ['*/read'], notActions: [] }];
    const r = await run();
    const byCommand = new Map(r.commands.map((c) => [c.command, c]));
    expect(byCommand.get('status of jobs, job, policies, recovery points, list vms')?.ok).toBe(true);
    const backup = byCommand.get('backup <vm> now')!;
    expect(backup.ok).toBe(false);
    expect(backup.role).toBe('Backup Operator on the vault');
    expect(backup.missing.join('\n')).toContain('protectedItems/backup/action on /subscriptions/');
    expect(r.ok).toBe(false);
    const text = formatPreflight(r);
    expect(text).toContain('does not work backup <vm> now');
    expect(text).toContain('grant: Backup Operator on the vault');
  });

  it('honours notActions: everything but deleting backup data', async () => {
    h.sandbox.world.permissions = [
      {
        actions: ['*'],
        notActions: [
          'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/delete',
        ],
      },
    ];
    const failing = (await run()).commands.filter((c) => !c.ok).map((c) => c.command);
    expect(failing).toEqual(['stop backup for <vm> [and delete data]']);
  });

  it("reads the staging account's and the subnet's network's permissions, and names the role to grant", async () => {
    h.sandbox.world.permissions = [
      { actions: ['*'], notActions: ['Microsoft.Storage/storageAccounts/write'] },
    ];
    const r = await run();
    const failing = r.commands.filter((c) => !c.ok);
    expect(failing.map((c) => c.command)).toEqual(['restore <vm> … (the staging storage account)']);
    expect(failing[0]!.role).toBe('Storage Account Contributor on the staging storage account');
    expect(failing[0]!.missing).toEqual([
      `Microsoft.Storage/storageAccounts/write on /subscriptions/${h.sandbox.world.subscriptionId}/resourceGroups/${SANDBOX_STAGING_ACCOUNT.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${SANDBOX_STAGING_ACCOUNT.name}`,
    ]);
    const reads = h.sandbox.requestLog.map((x) => x.path);
    expect(
      reads.some((p) =>
        /virtualNetworks\/vnet-westus\/providers\/Microsoft\.Authorization\/permissions$/i.test(p),
      ),
    ).toBe(true);
  });

  it('says which restore setting names nothing a restore could use, in the words a restore would', async () => {
    const wrong = await startHarness(
      {},
      {
        RESTORE_STAGING_STORAGE_ACCOUNT: `${SANDBOX_STAGING_ACCOUNT.resourceGroup}/stnowhere`,
        RESTORE_SUBNET: 'rg-workloads/vnet-nowhere/default',
      },
    );
    try {
      const r = await run(wrong);
      const staging = r.commands.find((c) => c.command.includes('staging'))!;
      expect(staging.ok).toBe(false);
      expect(staging.missing).toEqual([
        '(RESTORE_STAGING_STORAGE_ACCOUNT: The staging storage account stnowhere does not exist.)',
      ]);
      const subnet = r.commands.find((c) => c.command.includes('subnet'))!;
      expect(subnet.missing).toEqual([
        '(RESTORE_SUBNET: There is no subnet default in virtual network vnet-nowhere.)',
      ]);
      expect(r.ok).toBe(false);
    } finally {
      await wrong.close();
    }
  });
});

describe('check:azure in a second subscription', () => {
  it("checks that subscription's own vault, VMs' groups and restore targets", async () => {
    const h = await startHarness({}, TWO_SUBSCRIPTIONS);
    try {
      const second = SANDBOX_SECOND_SUBSCRIPTION;
      const r = await runPreflight({
        service: h.service,
        readPermissions: (scope) => h.service.readPermissions(scope),
        subscriptionId: second.id,
        vault: { subscription: second.id, resourceGroup: second.vaultResourceGroup, vault: second.vaultName },
      });
      expect(r.checks[0]!.detail).toMatch(/^rsv-eastus in eastus/);
      expect(formatPreflight(r)).toContain('Every command would work.');
      // Every permission read is in that subscription: its vault, groups, staging account, network.
      const scopes = h.sandbox.requestLog
        .map((x) => x.path)
        .filter((p) => /Microsoft\.Authorization\/permissions$/i.test(p));
      expect(scopes.length).toBeGreaterThanOrEqual(4);
      for (const p of scopes) expect(p.toLowerCase()).toContain(`/subscriptions/${second.id}/`);
      expect(scopes.some((p) => /storageAccounts\/stchatopsrestoreeast\//i.test(p))).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('npm run check:azure', () => {
  it('runs against the embedded sandbox and exits 0 when every command works', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/preflight/check-azure-cli.ts'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          SANDBOX_CLOCK_SPEED: '0',
          ...TWO_SUBSCRIPTIONS,
        },
        timeout: 150_000,
      },
    );
    // Each subscription with its own vault, each with its verdict.
    const sections = stdout.split(/^(?=check:azure · )/m).filter((x) => x.startsWith('check:azure'));
    expect(sections.map((x) => x.split('\n')[0])).toEqual([
      `check:azure · the local sandbox, subscription ${SANDBOX_SUBSCRIPTION_ID} · vault rg-chatops/rsv-westus`,
      `check:azure · the local sandbox, subscription ${SANDBOX_SECOND_SUBSCRIPTION.id} · vault rg-backup-east/rsv-eastus`,
    ]);
    for (const x of sections) expect(x).toContain('Every command would work.');
    // A process of its own, compiled by tsx as it starts: 25 s on a 2-core machine under moderate
    // load, past 30 s under heavy load. The limits bound a hang; they are not what is tested.
  }, 180_000);
});
