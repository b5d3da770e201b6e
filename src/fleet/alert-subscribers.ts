import type { View } from '../cards/views.js';
import type { AlertSubscribers, AlertTarget, AlertedVault, JobAlert } from '../jobs/scheduled-job-alerts.js';
import { sameVault, vaultKey } from '../jobs/scheduled-job-alerts.js';
import type { AlertSubscription, AlertSubscriptionStore } from '../store/alert-subscription-store.js';
import type { ChannelAddress } from '../domain/index.js';

/** How to post to an address; undefined when its platform is not running in this bot. */
export type PosterFor = (address: ChannelAddress) => ((view: View) => Promise<void>) | undefined;

/** How to post an alert to an address (as its card); undefined when its platform is not running. */
export type AlertPosterFor = (address: ChannelAddress) => ((alert: JobAlert) => Promise<void>) | undefined;

/**
 * The subscribed channels as alert targets, read from the store each round (so a subscription
 * made on any replica counts everywhere): one target per channel, wanting what any of its
 * subscriptions asks for. "All vaults" means every vault the bot alerts for: ALERT_VAULTS and the
 * vaults any channel subscribed to, and every vault whose alerts Azure Monitor pushes in.
 */
export function alertSubscribers(store: AlertSubscriptionStore, posterFor: AlertPosterFor): AlertSubscribers {
  return async () => {
    const byTarget = new Map<string, AlertSubscription[]>();
    for (const s of await store.list()) byTarget.set(s.target, [...(byTarget.get(s.target) ?? []), s]);
    const targets: AlertTarget[] = [];
    const vaults = new Map<string, AlertedVault>();
    for (const [id, subs] of byTarget) {
      const post = posterFor(subs[0]!.address);
      if (!post) continue;
      for (const s of subs) if (s.vault) vaults.set(vaultKey(s.vault), s.vault);
      // A vault pushed in by Azure Monitor names its subscription; one subscribed by name alone covers it.
      const covering = (v: AlertedVault) => subs.filter((s) => !s.vault || sameVault(s.vault, v));
      targets.push({
        id,
        post,
        wants: (v, status) => covering(v).some((s) => !s.onlyFailures || status === 'Failed'),
        since: (v) => {
          const times = covering(v).map((s) => Date.parse(s.createdAt));
          return times.length > 0 ? new Date(Math.min(...times)) : undefined;
        },
      });
    }
    return { targets, vaults: [...vaults.values()] };
  };
}
