import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Json, SandboxClient } from './sandbox-client.js';
import { SUB, VAULT, openSandbox } from './sandbox-client.js';

const vaultPath = (rg: string, name: string) =>
  `${SUB}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}`;

/** An Azure VM policy body in the shape of the ProtectionPolicies_CreateOrUpdate examples. */
function policyBody(overrides: Json = {}, schedule?: Json): Json {
  return {
    properties: {
      backupManagementType: 'AzureIaasVM',
      policyType: 'V2',
      timeZone: 'UTC',
      instantRpRetentionRangeInDays: 7,
      schedulePolicy: schedule ?? {
        schedulePolicyType: 'SimpleSchedulePolicyV2',
        scheduleRunFrequency: 'Daily',
        dailySchedule: { scheduleRunTimes: ['2021-12-17T08:00:00Z'] },
      },
      retentionPolicy: {
        retentionPolicyType: 'LongTermRetentionPolicy',
        dailySchedule: {
          retentionTimes: ['2021-12-17T08:00:00Z'],
          retentionDuration: { count: 30, durationType: 'Days' },
        },
      },
      ...overrides,
    },
  };
}

describe('sandbox vaults', () => {
  let c: SandboxClient;
  beforeEach(async () => {
    c = await openSandbox();
  });
  afterEach(() => c.close());

  it('creates a vault as recorded: 201 Provisioning, Succeeded about a minute later, soft delete AlwaysON', async () => {
    const timed = await openSandbox({ operationTimeScale: 1 });
    try {
      const created = await timed.call('PUT', vaultPath('rg-chatops', 'rsv-two'), {
        location: 'West US',
        sku: { name: 'Standard' },
        properties: { publicNetworkAccess: 'Enabled' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'rsv-two',
        type: 'Microsoft.RecoveryServices/vaults',
        location: 'westus',
        sku: { name: 'Standard' },
        properties: {
          provisioningState: 'Provisioning',
          securitySettings: {
            softDeleteSettings: { softDeleteRetentionPeriodInDays: 14, softDeleteState: 'AlwaysON' },
          },
        },
      });
      expect(created.headers.location).toBeUndefined();
      expect(created.headers['retry-after']).toBeUndefined();
      const op = String(created.headers['azure-asyncoperation']);
      expect(op).toContain('/vaults/rsv-two/operationStatus/');
      expect((await timed.call('GET', op)).body.status).toBe('InProgress');
      timed.sb.clock.advance(63_000);
      expect((await timed.call('GET', op)).body).toMatchObject({
        status: 'Succeeded',
        endTime: expect.any(String),
      });
      expect(
        (await timed.call('GET', vaultPath('rg-chatops', 'rsv-two'))).body.properties.provisioningState,
      ).toBe('Succeeded');
      const again = await timed.call('PUT', vaultPath('rg-chatops', 'rsv-two'), { location: 'westus' });
      expect(again.status).toBe(200);
      const names = (
        await timed.call('GET', `${SUB}/providers/Microsoft.RecoveryServices/vaults`)
      ).body.value.map((v: Json) => v.name);
      expect(names).toEqual(['rsv-westus', 'rsv-two']);
    } finally {
      await timed.close();
    }
  });

  it('refuses a vault in an Extended Zone, naming the parent region', async () => {
    const r = await c.call('PUT', vaultPath('rg-chatops', 'rsv-la'), {
      location: 'losangeles',
      sku: { name: 'Standard' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('LocationNotAvailableForResourceType');
    expect(r.body.error.message).toContain("'westus'");
    expect(c.sb.world.vaults.size).toBe(1);
  });

  it('refuses an invalid vault name, an unknown region and a missing resource group', async () => {
    const bad = await c.call('PUT', vaultPath('rg-chatops', '1-bad_name'), { location: 'westus' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('InvalidResourceName');
    const mars = await c.call('PUT', vaultPath('rg-chatops', 'rsv-mars'), { location: 'marsnorth' });
    expect(mars.body.error.code).toBe('LocationNotAvailableForResourceType');
    const noRg = await c.call('PUT', vaultPath('rg-nope', 'rsv-x'), { location: 'westus' });
    expect(noRg.status).toBe(404);
    expect(noRg.body.error.code).toBe('ResourceGroupNotFound');
  });

  it('refuses to delete a vault that holds backup items', async () => {
    const r = await c.call('DELETE', VAULT);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('ServiceResourceNotEmptyWithContainerDetails');
    await c.call('PUT', vaultPath('rg-chatops', 'rsv-empty'), { location: 'westus' });
    expect((await c.call('DELETE', vaultPath('rg-chatops', 'rsv-empty'))).status).toBe(200);
  });
});

describe('sandbox backup policies', () => {
  let c: SandboxClient;
  beforeEach(async () => {
    c = await openSandbox();
  });
  afterEach(() => c.close());

  it('lists the seeded standard and Enhanced policies with their protected item counts', async () => {
    const r = await c.call(
      'GET',
      `${VAULT}/backupPolicies?$filter=${encodeURIComponent("backupManagementType eq 'AzureIaasVM'")}`,
    );
    const byName = new Map<string, Json>(r.body.value.map((p: Json) => [p.name, p.properties]));
    expect(byName.get('DefaultPolicy')).toMatchObject({
      policyType: 'V1',
      instantRpRetentionRangeInDays: 2,
      schedulePolicy: { schedulePolicyType: 'SimpleSchedulePolicy', scheduleRunFrequency: 'Daily' },
      protectedItemsCount: 0,
    });
    expect(byName.get('EnhancedPolicy')).toMatchObject({
      policyType: 'V2',
      instantRpRetentionRangeInDays: 7,
      instantRPDetails: { azureBackupRGNamePrefix: expect.any(String) },
      schedulePolicy: {
        scheduleRunFrequency: 'Hourly',
        hourlySchedule: { interval: 4, scheduleWindowDuration: 12 },
      },
      protectedItemsCount: 1,
    });
    const mab = await c.call(
      'GET',
      `${VAULT}/backupPolicies?$filter=${encodeURIComponent("backupManagementType eq 'MAB'")}`,
    );
    expect(mab.body.value).toEqual([]);
  });

  it('creates an Enhanced hourly policy and answers it as Azure returns it', async () => {
    const schedule = {
      schedulePolicyType: 'SimpleSchedulePolicyV2',
      scheduleRunFrequency: 'Hourly',
      hourlySchedule: {
        interval: 6,
        scheduleWindowStartTime: '2021-12-17T06:00:00Z',
        scheduleWindowDuration: 18,
      },
    };
    const r = await c.call(
      'PUT',
      `${VAULT}/backupPolicies/every-6h`,
      policyBody({ instantRpRetentionRangeInDays: undefined }, schedule),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: `${c.sb.world.vaults.get('rg-chatops/rsv-westus')!.id}/backupPolicies/every-6h`,
      name: 'every-6h',
      type: 'Microsoft.RecoveryServices/vaults/backupPolicies',
      properties: { policyType: 'V2', instantRpRetentionRangeInDays: 7, protectedItemsCount: 0 },
    });
    expect((await c.call('GET', `${VAULT}/backupPolicies/EVERY-6H`)).body.name).toBe('every-6h');
  });

  it('refuses a policy out of bounds with every allowed range in the message', async () => {
    const body = policyBody({ instantRpRetentionRangeInDays: 31 });
    body.properties.retentionPolicy.dailySchedule.retentionDuration.count = 5;
    const r = await c.call('PUT', `${VAULT}/backupPolicies/bad`, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BMSUserErrorInvalidPolicyInput');
    expect(r.body.error.message).toContain('1–30');
    expect(r.body.error.message).toContain('7–9999');
  });

  it('refuses an hourly schedule on a standard policy', async () => {
    const r = await c.call(
      'PUT',
      `${VAULT}/backupPolicies/std-hourly`,
      policyBody(
        { policyType: 'V1', instantRpRetentionRangeInDays: 2 },
        {
          schedulePolicyType: 'SimpleSchedulePolicy',
          scheduleRunFrequency: 'Hourly',
          hourlySchedule: {
            interval: 4,
            scheduleWindowStartTime: '2021-12-17T08:00:00Z',
            scheduleWindowDuration: 12,
          },
        },
      ),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('Enhanced');
  });

  it('refuses to turn an Enhanced policy that protects VMs into a standard one', async () => {
    const r = await c.call(
      'PUT',
      `${VAULT}/backupPolicies/EnhancedPolicy`,
      policyBody(
        { policyType: 'V1', instantRpRetentionRangeInDays: 2 },
        {
          schedulePolicyType: 'SimpleSchedulePolicy',
          scheduleRunFrequency: 'Daily',
          scheduleRunTimes: ['2021-12-17T22:00:00Z'],
        },
      ),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BMSUserErrorPolicyTypeDowngradeNotAllowed');
  });

  it('deletes an unused policy and refuses to delete one in use', async () => {
    expect((await c.call('DELETE', `${VAULT}/backupPolicies/EnhancedPolicy`)).status).toBe(409);
    expect((await c.call('DELETE', `${VAULT}/backupPolicies/DefaultPolicy`)).status).toBe(200);
    const gone = await c.call('GET', `${VAULT}/backupPolicies/DefaultPolicy`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('BMSUserErrorPolicyNotFound');
  });
});
