import type { AlertedVault } from '../jobs/scheduled-job-alerts.js';
import type { AlertSubscriptionStore } from '../store/alert-subscription-store.js';
import type { DigestScheduleStore } from '../store/digest-schedule-store.js';

/** What the fleet commands (alert subscriptions, digests) need besides the backup service. */
export interface FleetServices {
  subscriptions: AlertSubscriptionStore;
  digests: DigestScheduleStore;
  /**
   * The vaults a channel's digest covers: those it subscribed to alerts for, or every vault the
   * bot alerts for when it subscribed to all (or to none); `undefined`: every vault.
   */
  vaultsFor(target: string | undefined): Promise<AlertedVault[]>;
}
