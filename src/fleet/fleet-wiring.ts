import type { Kysely } from 'kysely';
import type { View } from '../cards/views.js';
import { AlertSubscriptionStore } from '../store/alert-subscription-store.js';
import { DigestScheduleStore } from '../store/digest-schedule-store.js';
import type { Database } from '../store/schema.js';
import type { AlertedVault } from '../jobs/scheduled-job-alerts.js';
import { vaultKey } from '../jobs/scheduled-job-alerts.js';
import type { PosterFor } from './alert-subscribers.js';
import type { FleetServices } from './fleet-services.js';

type Post = (view: View) => Promise<void>;

/** The fleet stores, and the vaults a digest covers: `alertedVaults` (ALERT_VAULTS or the default vault) and subscribed ones. */
export function fleetServicesOf(db: Kysely<Database>, alertedVaults: readonly AlertedVault[]): FleetServices {
  const subscriptions = new AlertSubscriptionStore(db);
  return {
    subscriptions,
    digests: new DigestScheduleStore(db),
    async vaultsFor(target) {
      const all = await subscriptions.list();
      const mine = target ? all.filter((s) => s.target === target) : [];
      const named = mine.flatMap((s) => (s.vault ? [s.vault] : []));
      const chosen =
        named.length > 0 && named.length === mine.length
          ? named
          : [...alertedVaults, ...all.flatMap((s) => (s.vault ? [s.vault] : []))];
      const unique = new Map<string, AlertedVault>();
      for (const v of chosen) unique.set(vaultKey(v), v);
      return [...unique.values()];
    },
  };
}

/** Posting to a stored address through the running channels' posters. */
export function posterForChannels(o: {
  slack?: { poster(channelId: string): Post };
  teams?: { poster(target: { conversationId: string; serviceUrl: string; tenantId?: string }): Post };
  web?: Post;
}): PosterFor {
  return (address) => {
    if (address.platform === 'slack') return o.slack?.poster(address.channelId);
    if (address.platform === 'teams') return o.teams?.poster(address);
    return o.web;
  };
}
