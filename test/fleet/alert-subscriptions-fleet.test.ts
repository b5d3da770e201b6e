import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/domain/index.js';
import { CommandRegistry } from '../../src/chat/command-registry.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import { alertSubscribers } from '../../src/fleet/alert-subscribers.js';
import { fleetServicesOf } from '../../src/fleet/fleet-wiring.js';
import type { FleetServices } from '../../src/fleet/fleet-services.js';
import {
  SANDBOX_SECOND_SUBSCRIPTION as EAST,
  SANDBOX_SUBSCRIPTION_ID as WEST,
  SANDBOX_BOTH_SUBSCRIPTIONS,
} from '../../src/sandbox/seed-ids.js';
import { openDatabase } from '../../src/store/open-database.js';
import { AlertSubscriptionStore } from '../../src/store/alert-subscription-store.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';

/**
 * Issue 18: a channel subscribes to the alerts of a vault named with its Azure subscription; the
 * subscription is kept (as the vault's id says it), so a vault of the same name and group in another
 * subscription is not covered. On the real SDK clients and both sandbox subscriptions.
 */
describe('alert subscriptions naming the vault’s subscription', () => {
  let h: Harness;
  let fleet: FleetServices;
  let registry: CommandRegistry;
  let store: AlertSubscriptionStore;
  const alice = { id: 'T1:UALICE', name: 'Alice' };
  const slack = (text: string) =>
    registry.handle({ platform: 'slack', user: alice, conversationId: 'C0OPS', text } satisfies ChatRequest);
  const east = { vault: EAST.vaultName, resourceGroup: EAST.vaultResourceGroup };

  beforeAll(async () => {
    h = await startHarness(
      {},
      {
        BACKUP_MODE: 'sandbox',
        AZURE_SUBSCRIPTION_IDS: SANDBOX_BOTH_SUBSCRIPTIONS,
      },
    );
    const db = await openDatabase(':memory:');
    fleet = fleetServicesOf(db, [{ vault: 'rsv-westus', resourceGroup: 'rg-chatops' }]);
    store = new AlertSubscriptionStore(db);
    registry = new CommandRegistry({
      service: h.service,
      roles: new RoleDirectory([{ userId: alice.id, roles: ['operator'] }], []),
      defaults: {
        subscriptionId: WEST,
        vaultName: 'rsv-westus',
        vaultResourceGroup: 'rg-chatops',
        portalLinks: false,
      },
      fleet,
      now: () => h.sandbox.clock.now(),
    });
  });
  afterAll(() => h.close());

  it('keeps the subscription id of a vault named with its subscription’s display name', async () => {
    const reply = await slack(
      `subscribe to backup alerts for vault ${EAST.vaultResourceGroup}/${EAST.vaultName} in subscription "${EAST.displayName}"`,
    );
    expect(reply.view).toMatchObject({ kind: 'message', tone: 'success' });
    expect((await fleet.subscriptions.list()).map((s) => s.vault)).toEqual([
      { ...east, subscription: EAST.id },
    ]);
    const listed = await slack('subscriptions');
    expect(JSON.stringify(listed.view)).toContain(`${EAST.id}/${EAST.vaultResourceGroup}/${EAST.vaultName}`);
  });

  it('covers that vault in that subscription only; a vault named alone covers it in any', async () => {
    const targetsOf = async () => (await alertSubscribers(store, () => async () => {})()).targets;
    const [target] = await targetsOf();
    expect(target!.wants!({ ...east, subscription: EAST.id }, 'Failed')).toBe(true);
    expect(target!.wants!({ ...east, subscription: WEST }, 'Failed')).toBe(false);
    // Polled by name (ALERT_VAULTS, older rows): the same vault.
    expect(target!.wants!(east, 'Failed')).toBe(true);
    await slack(`subscribe to backup alerts for vault ${EAST.vaultResourceGroup}/${EAST.vaultName}`);
    const [again] = await targetsOf();
    expect(again!.wants!({ ...east, subscription: WEST }, 'Failed')).toBe(true);
  });

  it('refuses a subscription with "all vaults" and one the bot does not work in', async () => {
    expect((await slack('subscribe to backup alerts in subscription "Contoso East"')).view).toMatchObject({
      kind: 'error',
      code: 'validation.arguments',
    });
    expect(
      (await slack(`subscribe to backup alerts for vault ${EAST.vaultName} in subscription "Fabrikam"`)).view,
    ).toMatchObject({ kind: 'error', code: 'validation.subscription_not_found' });
    expect((await slack('unsubscribe from backup alerts in subscription "Contoso East"')).view).toMatchObject(
      {
        code: 'validation.arguments',
      },
    );
  });

  it('unsubscribes the vault of the subscription named, and only that one', async () => {
    const reply = await slack(
      `unsubscribe from backup alerts for vault ${EAST.vaultResourceGroup}/${EAST.vaultName} in subscription ${EAST.id}`,
    );
    expect(reply.view).toMatchObject({ title: 'Unsubscribed' });
    expect((await fleet.subscriptions.list()).map((s) => s.vault)).toEqual([east]);
  });
});
