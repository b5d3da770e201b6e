import type { ArmRouter } from '../arm-router.js';
import { ArmError } from '../arm-errors.js';
import { SANDBOX_TENANT_ID } from '../seed-ids.js';

export interface SandboxSubscription {
  id: string;
  displayName: string;
}

/**
 * Microsoft.Resources subscriptions (Subscriptions_List / _Get, REST spec examples; no live
 * recording): the subscriptions the sandbox's identity can see, with their display names, so a
 * vault reference can name its subscription either way.
 */
export function addSubscriptionRoutes(
  router: ArmRouter,
  subscriptions: readonly SandboxSubscription[],
): void {
  const json = (s: SandboxSubscription) => ({
    id: `/subscriptions/${s.id}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.id,
    tenantId: SANDBOX_TENANT_ID,
    displayName: s.displayName,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  });
  router.add('GET', '/subscriptions', () => ({ status: 200, body: { value: subscriptions.map(json) } }));
  router.add('GET', '/subscriptions/{subscriptionId}', (req) => {
    const wanted = req.params.subscriptionId!.toLowerCase();
    const s = subscriptions.find((x) => x.id.toLowerCase() === wanted);
    if (!s) {
      throw new ArmError(
        404,
        'SubscriptionNotFound',
        `The subscription '${req.params.subscriptionId}' could not be found.`,
      );
    }
    return { status: 200, body: json(s) };
  });
}
