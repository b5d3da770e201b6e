import type { BackupService } from '../azure/backup-service.js';
import type { BackupJob, JobStatus } from '../domain/index.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { AlertStore } from '../store/alert-store.js';
import type { StartedJobStore } from '../store/started-job-store.js';
import { vaultLeaseKey } from '../store/vault-leases.js';

/** A scheduled backup that ended badly in a watched vault, as of `asOf`: what an alert tells. */
export interface JobAlert {
  job: BackupJob;
  vault: AlertedVault;
  asOf: Date;
}

/** A place alerts are posted to: `slack:C123`, `teams:<conversation id>`, `web`. */
export interface AlertTarget {
  id: string;
  /** Posts the alert (the caller that made the target turns it into a card). */
  post(alert: JobAlert): Promise<void>;
  /** Whether this target wants alerts of this vault and status (a subscription's scope); all when absent. */
  wants?(vault: AlertedVault, status: JobStatus): boolean;
  /**
   * Since when the target wants this vault's alerts (a subscription: when it was made, so a failure
   * between subscribing and the next round is not lost); absent: since the alerter first watched it.
   */
  since?(vault: AlertedVault): Date | undefined;
}

/** Targets and vaults that change while the bot runs: chat channels' alert subscriptions. */
export type AlertSubscribers = () => Promise<{ targets: AlertTarget[]; vaults: AlertedVault[] }>;

export interface AlertedVault {
  vault: string;
  resourceGroup: string;
  /** Its subscription id, when known (an Azure Monitor alert names it): same-named vaults of two differ. */
  subscription?: string;
}

export interface ScheduledJobAlerterOptions {
  service: BackupService;
  store: AlertStore;
  /** The backups the bot's own commands started: those are not scheduled. */
  startedJobs: Pick<StartedJobStore, 'known'>;
  vaults: AlertedVault[];
  targets: AlertTarget[];
  /** Read every round: subscribed channels (a configured target's id wins over a subscription's) and their vaults. */
  subscribers?: AlertSubscribers;
  intervalMs: number;
  now?: () => Date;
  logger?: Logger;
}

export interface AlertRoundStats {
  status: JobStatus;
  listCalls: number;
  detailCalls: number;
  alerts: number;
}

/** The outcomes alerted; the jobs `$filter` takes one status, so rounds take turns. */
export const ALERTED_STATUSES = ['Failed', 'CompletedWithWarnings'] as const satisfies JobStatus[];
/** How far back a round lists jobs by start time: a transfer can take days before it fails. */
export const ALERT_JOB_SPAN_MS = 7 * 86_400_000;
/** The most failed jobs of one status read from one vault in a round. */
const MAX_LISTED = 200;

/**
 * Posts one alert per scheduled backup that ends Failed or CompletedWithWarnings in the
 * watched vaults. Recorded live job records carry no `isUserTriggered`, so "scheduled" means not
 * started by the bot's own commands (StartedJobStore); a job that does say `isUserTriggered: true`
 * is left out too. A round costs one `backupJobs.list` per vault,
 * filtered by status (Failed and CompletedWithWarnings in turn) and start time, plus one job-details
 * read per new failure (the list carries no task list, so only details tell the failed phase).
 *
 * Exactly once per job and target, across restarts: each alert is claimed by inserting its row
 * before posting, given back if the post fails (retried next round). A crash between claim and post
 * loses that alert rather than risking a duplicate. Jobs that ended before a target first watched a
 * vault are never alerted, so a first start does not flood the channel with old failures.
 */
export class ScheduledJobAlerter {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private round = 0;
  private readonly now: () => Date;
  private readonly log: Logger;

  constructor(private readonly o: ScheduledJobAlerterOptions) {
    this.now = o.now ?? (() => new Date());
    this.log = o.logger ?? silentLogger;
  }

  /** Polls at once (so the watch starts now), then every interval. */
  start(): void {
    if (this.timer) return;
    const loop = async (): Promise<void> => {
      await this.pollOnce().catch(() => undefined);
      if (!this.timer) return;
      this.timer = setTimeout(() => void loop(), this.o.intervalMs);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void loop(), 0);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One round: one list call per vault for this round's status. */
  async pollOnce(): Promise<AlertRoundStats> {
    const status = ALERTED_STATUSES[this.round % ALERTED_STATUSES.length]!;
    const stats: AlertRoundStats = { status, listCalls: 0, detailCalls: 0, alerts: 0 };
    if (this.running) return stats;
    this.running = true;
    this.round++;
    try {
      const { targets, vaults } = await this.current();
      for (const vault of vaults) {
        const wanting = targets.filter((t) => t.wants?.(vault, status) ?? true);
        if (wanting.length === 0) continue;
        // One vault's failure (deleted, throttled) does not keep the others from being watched.
        await this.pollVault(vault, status, stats, wanting).catch((e: unknown) =>
          this.log.warn('alert round failed for a vault', {
            vault: `${vault.resourceGroup}/${vault.vault}`,
            error: e instanceof Error ? e.message : String(e),
          }),
        );
      }
      return stats;
    } finally {
      this.running = false;
    }
  }

  /**
   * A job Azure Monitor pushed in (Azure Backup's built-in job-failure alert): one job-details
   * read, then the same alert as a polling round's, claimed in the same store per target, so
   * whichever of the push and the poll sees the job first alerts it and the other finds it done.
   * Polling stays as the backfill for pushes lost on the way. Returns the alerts posted.
   */
  async alertJob(v: AlertedVault, jobId: string): Promise<number> {
    if ((await this.o.startedJobs.known([jobId])).has(jobId)) return 0;
    const job = await this.o.service.getJob(jobId, targetOf(v));
    if (!isAlertable(job)) return 0;
    const alert: JobAlert = { job, vault: v, asOf: this.now() };
    let posted = 0;
    const { targets } = await this.current();
    for (const t of targets) {
      if ((t.wants?.(v, job.status) ?? true) && (await this.alert(t, alert))) posted++;
    }
    return posted;
  }

  /** The configured targets and vaults, with the subscribed ones of this moment. */
  private async current(): Promise<{ targets: AlertTarget[]; vaults: AlertedVault[] }> {
    const targets = [...this.o.targets];
    const vaults = [...this.o.vaults];
    const subscribed = this.o.subscribers ? await this.o.subscribers() : { targets: [], vaults: [] };
    const ids = new Set(targets.map((t) => t.id));
    for (const t of subscribed.targets) if (!ids.has(t.id)) targets.push(t);
    const keys = new Set(vaults.map(vaultKey));
    for (const v of subscribed.vaults) if (!keys.has(vaultKey(v))) vaults.push(v);
    return { targets, vaults };
  }

  private async pollVault(
    v: AlertedVault,
    status: JobStatus,
    stats: AlertRoundStats,
    targets: AlertTarget[],
  ): Promise<void> {
    const now = this.now();
    const target = targetOf(v);
    const since = new Map<string, number>();
    for (const t of targets) {
      const watched = await this.o.store.watchingSince(scopeOf(t, v), now);
      since.set(t.id, (t.since?.(v) ?? watched).getTime());
    }
    const listed = await this.o.service.listJobs(
      {
        status,
        operation: 'Backup',
        since: new Date(now.getTime() - ALERT_JOB_SPAN_MS),
        // Azure's clock may run a little ahead of ours: a job it just started is still in range.
        until: new Date(now.getTime() + 3_600_000),
        limit: MAX_LISTED,
      },
      target,
    );
    stats.listCalls++;
    const own = await this.o.startedJobs.known(listed.map((j) => j.id));
    const scheduled = listed.filter((j) => isAlertable(j) && !own.has(j.id));
    const due = new Map<string, AlertTarget[]>();
    for (const t of targets) {
      const known = await this.o.store.known(
        t.id,
        scheduled.map((j) => j.id),
      );
      for (const job of scheduled) {
        if (known.has(job.id) || endedAt(job) < since.get(t.id)!) continue;
        due.set(job.id, [...(due.get(job.id) ?? []), t]);
      }
    }
    for (const job of scheduled) {
      const targets = due.get(job.id);
      if (!targets) continue;
      const detailed = await this.details(job, target, stats);
      const alert: JobAlert = { job: detailed, vault: v, asOf: this.now() };
      for (const t of targets) if (await this.alert(t, alert)) stats.alerts++;
    }
  }

  /** The job with its phases; the listed job when its details cannot be read. */
  private async details(
    job: BackupJob,
    target: { vault: string; resourceGroup: string },
    stats: AlertRoundStats,
  ) {
    try {
      stats.detailCalls++;
      return await this.o.service.getJob(job.id, target);
    } catch (e) {
      this.log.warn('alert: job details unavailable', {
        jobId: job.id,
        error: e instanceof Error ? e.message : String(e),
      });
      return job;
    }
  }

  private async alert(t: AlertTarget, alert: JobAlert): Promise<boolean> {
    const { job, vault: v } = alert;
    const claimed = await this.o.store.claim(
      t.id,
      {
        jobId: job.id,
        vaultName: v.vault,
        resourceGroup: v.resourceGroup,
        status: job.status,
        endedAt: new Date(endedAt(job)).toISOString(),
      },
      this.now(),
    );
    if (!claimed) return false;
    try {
      await t.post(alert);
    } catch (e) {
      await this.o.store.release(t.id, job.id);
      this.log.warn('alert not posted; retried next round', {
        target: t.id,
        jobId: job.id,
        error: e instanceof Error ? e.message : String(e),
      });
      return false;
    }
    await this.o.store.markSent(t.id, job.id);
    this.log.info('alert posted', { target: t.id, jobId: job.id, status: job.status });
    return true;
  }
}

/** A backup that ended badly and, as far as Azure says, was not asked for on demand. */
function isAlertable(job: BackupJob): boolean {
  return (
    job.isUserTriggered !== true &&
    job.operation === 'Backup' &&
    (ALERTED_STATUSES as readonly string[]).includes(job.status)
  );
}

function endedAt(job: BackupJob): number {
  return Date.parse(job.endTime ?? job.startTime ?? '') || 0;
}

/** `[<subscription>/]<rg>/<vault>` in lower case: the older form for a vault known by name only. */
export function vaultKey(v: AlertedVault): string {
  return vaultLeaseKey({ vaultName: v.vault, resourceGroup: v.resourceGroup, ...subscriptionOf(v) });
}

function scopeOf(t: AlertTarget, v: AlertedVault): string {
  return `${t.id}|${vaultKey(v)}`;
}

/**
 * Whether a subscribed (or configured) vault is this one: same group and name, and the same
 * subscription when both say one (a vault named without its subscription matches any).
 */
export function sameVault(a: AlertedVault, b: AlertedVault): boolean {
  const named = (v: AlertedVault) => `${v.resourceGroup}/${v.vault}`.toLowerCase();
  if (named(a) !== named(b)) return false;
  return !a.subscription || !b.subscription || a.subscription.toLowerCase() === b.subscription.toLowerCase();
}

/** The vault as the backup service takes it: with its subscription, read there and only there. */
function targetOf(v: AlertedVault): { vault: string; resourceGroup: string; subscription?: string } {
  return { vault: v.vault, resourceGroup: v.resourceGroup, ...subscriptionOf(v) };
}

function subscriptionOf(v: AlertedVault): { subscription?: string } {
  return v.subscription ? { subscription: v.subscription } : {};
}
