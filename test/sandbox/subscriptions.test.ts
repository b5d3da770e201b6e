import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_SECOND_SUBSCRIPTION,
  SANDBOX_SUBSCRIPTION_ID,
  SANDBOX_SUBSCRIPTION_NAME,
} from '../../src/sandbox/seed-ids.js';
import type { Json, SandboxClient } from './sandbox-client.js';
import { SUB, openSandbox } from './sandbox-client.js';

const SECOND = `/subscriptions/${SANDBOX_SECOND_SUBSCRIPTION.id}`;

describe('sandbox subscriptions', () => {
  let c: SandboxClient;
  beforeAll(async () => {
    c = await openSandbox();
  });
  afterAll(() => c.close());

  it('lists both subscriptions with their display names, and reads one by id', async () => {
    const list = await c.call('GET', '/subscriptions');
    expect(list.status).toBe(200);
    expect(list.body.value.map((s: Json) => [s.subscriptionId, s.displayName, s.state])).toEqual([
      [SANDBOX_SUBSCRIPTION_ID, SANDBOX_SUBSCRIPTION_NAME, 'Enabled'],
      [SANDBOX_SECOND_SUBSCRIPTION.id, SANDBOX_SECOND_SUBSCRIPTION.displayName, 'Enabled'],
    ]);
    const one = await c.call('GET', SECOND);
    expect(one.body).toMatchObject({ id: SECOND, displayName: 'Contoso East' });
    const missing = await c.call('GET', '/subscriptions/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('SubscriptionNotFound');
  });

  it('keeps each subscription to its own VMs, vaults and jobs', async () => {
    const vms = async (sub: string) =>
      ((await c.call('GET', `${sub}/providers/Microsoft.Compute/virtualMachines`)).body.value as Json[])
        .map((v) => v.name as string)
        .sort();
    expect(await vms(SECOND)).toEqual(['api-east-01', 'app-east-01']);
    expect(await vms(SUB)).not.toContain('app-east-01');
    const vaults = (await c.call('GET', `${SECOND}/providers/Microsoft.RecoveryServices/vaults`)).body.value;
    expect(vaults.map((v: Json) => [v.name, v.location, v.id.startsWith(SECOND)])).toEqual([
      ['rsv-eastus', 'eastus', true],
    ]);
    const vault = `${SECOND}/resourceGroups/rg-backup-east/providers/Microsoft.RecoveryServices/vaults/rsv-eastus`;
    const jobs = (await c.call('GET', `${vault}/backupJobs`)).body.value as Json[];
    expect(jobs.map((j) => [j.properties.entityFriendlyName, j.properties.operation])).toContainEqual([
      'app-east-01',
      'Backup',
    ]);
    // The first subscription's vault is not in the second one.
    const wrong = await c.call(
      'GET',
      `${SECOND}/resourceGroups/rg-chatops/providers/Microsoft.RecoveryServices/vaults/rsv-westus`,
    );
    expect(wrong.status).toBe(404);
  });
});
