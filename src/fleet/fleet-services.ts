import type { AlertSubscriptionStore } from '../store/alert-subscription-store.js';
import type { DigestScheduleStore } from '../store/digest-schedule-store.js';

/** What the fleet commands (alert subscriptions, digests) need besides the backup service. */
export interface FleetServices {
  subscriptions: AlertSubscriptionStore;
  digests: DigestScheduleStore;
}
