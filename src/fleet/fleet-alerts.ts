import type { BackupService } from '../azure/backup-service.js';
import type { View } from '../cards/views.js';
import type { DigestReport } from '../domain/index.js';
import type { JobAlert } from '../jobs/scheduled-job-alerts.js';
import { ScheduledJobAlerter } from '../jobs/scheduled-job-alerts.js';
import type { Logger } from '../logger.js';
import type { AlertStore } from '../store/alert-store.js';
import type { StartedJobStore } from '../store/started-job-store.js';
import type { AlertSettings } from './alert-settings.js';
import { alertSubscribers } from './alert-subscribers.js';
import { DigestScheduler } from './digest-scheduler.js';
import type { FleetServices } from './fleet-services.js';
import { posterForChannels } from './fleet-wiring.js';

type Post = (view: View) => Promise<void>;

export interface FleetAlertsOptions {
  /** Alerts for failed scheduled backups; undefined: none (digests still run). */
  settings?: AlertSettings;
  service: BackupService;
  store: AlertStore;
  startedJobs: Pick<StartedJobStore, 'known'>;
  fleet: FleetServices;
  /** The running channels: the configured alert targets (`web`, `slack:C1`, `teams:<id>`), and posting to an address. */
  channels: Parameters<typeof posterForChannels>[0] & {
    alertChannels: readonly { id: string; post: Post }[];
  };
  /** The cards (the composition root presents them: fleet/ knows no presenter). */
  alertView: (alert: JobAlert) => View;
  digestView: (report: DigestReport) => View;
  /** How often digest schedules are looked at. */
  digestIntervalMs: number;
  now: () => Date;
  logger: Logger;
}

/** The scheduled-job alerter (when alerts are on) and the daily digests, posting through the channels. */
export function fleetAlertsOf(o: FleetAlertsOptions): {
  alerter?: ScheduledJobAlerter;
  digests: DigestScheduler;
} {
  const { settings, now, logger } = o;
  const targets = o.channels.alertChannels;
  // Subscriptions from chat post through the running channels; the web chat is the one `web` target.
  const web = targets.find((t) => t.id === 'web')?.post;
  const posterFor = posterForChannels({ slack: o.channels.slack, teams: o.channels.teams, web });
  const asAlerts =
    (post: Post) =>
    (alert: JobAlert): Promise<void> =>
      post(o.alertView(alert));
  const alerter = settings
    ? new ScheduledJobAlerter({
        service: o.service,
        store: o.store,
        startedJobs: o.startedJobs,
        vaults: settings.vaults,
        targets: targets.map((t) => ({ id: t.id, post: asAlerts(t.post) })),
        subscribers: alertSubscribers(o.fleet.subscriptions, (address) => {
          const post = posterFor(address);
          return post && asAlerts(post);
        }),
        intervalMs: settings.intervalMs,
        now,
        logger,
      })
    : undefined;
  const digests = new DigestScheduler({
    store: o.fleet.digests,
    service: o.service,
    vaultsFor: (target) => o.fleet.vaultsFor(target),
    posterFor: (address) => {
      const post = posterFor(address);
      return post && ((report) => post(o.digestView(report)));
    },
    intervalMs: o.digestIntervalMs,
    now,
    logger,
  });
  return { ...(alerter ? { alerter } : {}), digests };
}
