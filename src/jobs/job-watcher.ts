import type { BackupService } from '../azure/backup-service.js';
import type { BackupJob } from '../domain/index.js';
import { activePhase, isFinalJobStatus, isTaskStatus } from '../domain/index.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { LearntDurations } from './learnt-durations.js';
import type { SnapshotSurvival } from './snapshot-survival.js';
import type { Watch, WatchStore } from '../store/watch-store.js';
import { vaultLeaseKey } from '../store/vault-leases.js';

/**
 * Where a watched job's new state goes, as of `asOf`: the channel that posted its card, which makes
 * the card from it and sends it as progress (answers to people go first).
 */
export type WatchSink = (watch: Watch, job: BackupJob, asOf: Date) => Promise<void>;

export interface JobWatcherOptions {
  service: BackupService;
  store: WatchStore;
  /** The subscription of watches stored without one: the first configured (see pollVault). */
  defaultSubscription: string;
  /** Channel updaters by platform. */
  sinks: Record<string, WatchSink>;
  intervalMs: number;
  /** Longest pause after failed rounds (backoff doubles up to it). */
  maxIntervalMs?: number;
  now?: () => Date;
  logger?: Logger;
  /** Told of every completed round (metrics). */
  onRound?: (stats: RoundStats, seconds: number) => void;
  /** Where learnt snapshot durations are kept across restarts (LearntDurationStore). */
  durations?: {
    load(kind: string): Promise<number[]>;
    add(kind: string, durationsMs: readonly number[], now: Date): Promise<void>;
  };
  /**
   * A snapshot-phase job's details are read once the learnt durations give its snapshot at least
   * this chance of having ended since its last read (default 0.1): lower reads more often and shows
   * snapshot ends sooner. See docs/performance.md for reads against latency at several settings.
   */
  snapshotReadChance?: number;
  /**
   * Longest a snapshot-phase job goes unread while the estimate gives its snapshot any real chance
   * of having ended (default 3 min): it bounds how late a snapshot's end is seen, and so the p95.
   */
  snapshotMaxGapMs?: number;
  /** With several replicas on one database: which vaults this one polls (see VaultLeases). */
  leases?: {
    claimShare(vaultKeys: readonly string[]): Promise<Set<string>>;
    renew(vaultKey: string): Promise<boolean>;
    /** How often a lease is renewed while its vault is polled (well inside its term). */
    readonly renewEveryMs: number;
  };
}

export interface RoundStats {
  vaults: number;
  /** Vaults with watched jobs that another replica polls this round. */
  vaultsElsewhere: number;
  listCalls: number;
  detailCalls: number;
  updates: number;
  /** Card updates the channel gave up this round (sent again next round). */
  failedUpdates: number;
  finished: number;
}

/**
 * Keeps every watched job's card current (DESIGN.md section 6). Cost per round: one job-list call
 * per vault (every other round for a vault whose jobs are all transferring), and a job-details read
 * only for jobs whose next phase change the list cannot show — those still taking their snapshot
 * (the list says "InProgress" for both phases) once their snapshot may have ended — or whose list
 * status just changed. A transferring job costs nothing beyond its vault's list until it ends.
 */
export class JobWatcher {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<RoundStats> | undefined;
  private failures = 0;
  private readonly learnt = new LearntDurations();
  /** Loaded from the store before the first round. */
  private learntLoaded: Promise<void> | undefined;
  /** Learnt this round, written in one statement at its end. */
  private newlyLearnt: number[] = [];
  /** When each snapshot-phase job's details were last read (ms): its snapshot ran then. */
  private readonly lastDetailRead = new Map<string, number>();
  /** This round's estimate of snapshot durations, ended and running ones together. */
  private survival: SnapshotSurvival | undefined;
  /** When each vault's jobs were last listed (ms). */
  private readonly lastListed = new Map<string, number>();
  /** Jobs whose card update the channel gave up: read again next round, listed or not. */
  private readonly unsent = new Set<string>();
  private readonly now: () => Date;
  private readonly log: Logger;

  constructor(private readonly o: JobWatcherOptions) {
    this.now = o.now ?? (() => new Date());
    this.log = o.logger ?? silentLogger;
  }

  /** Starts watching a job whose card was just posted with `job`'s view. */
  async watch(w: Omit<Watch, 'fingerprint' | 'createdAt'>, job?: BackupJob): Promise<void> {
    await this.o.store.add({ ...w, fingerprint: job ? fingerprintOf(job) : '' }, this.now());
  }

  /** The watched message does not show the job's last view after all: the next round sends it. */
  async repaint(w: Pick<Watch, 'jobId' | 'platform' | 'messageRef'>): Promise<void> {
    await this.o.store.forgetShown(w);
  }

  start(): void {
    if (this.timer) return;
    const loop = async (): Promise<void> => {
      await this.pollOnce().catch(() => undefined);
      const backoff = Math.min(this.o.intervalMs * 2 ** this.failures, this.o.maxIntervalMs ?? 60_000);
      this.timer = setTimeout(() => void loop(), backoff);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void loop(), this.o.intervalMs);
    this.timer.unref();
  }

  /** Stops polling; resolves once a round under way has ended (its leases may then be handed on). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.round?.catch(() => undefined);
  }

  /** One polling round over every active watch. */
  async pollOnce(): Promise<RoundStats> {
    if (this.round) return emptyStats();
    this.round = this.runRound();
    try {
      return await this.round;
    } finally {
      this.round = undefined;
    }
  }

  private async runRound(): Promise<RoundStats> {
    const stats = emptyStats();
    try {
      await (this.learntLoaded ??= this.loadLearnt());
      const active = await this.o.store.active();
      this.survival = this.estimateSurvival(active);
      let byVault = groupByVault(active);
      if (this.o.leases) {
        const held = await this.o.leases.claimShare([...byVault.keys()]);
        stats.vaultsElsewhere = byVault.size - held.size;
        // Read again once the leases are ours: the replica that held a vault until now may have
        // just sent an update, and a fingerprint read before the claim would send it twice.
        byVault = groupByVault(await this.o.store.active());
        for (const key of byVault.keys()) if (!held.has(key)) byVault.delete(key);
      }
      const started = performance.now();
      for (const [key, group] of byVault) {
        // A round can outlast a lease (throttled reads, slow chat): renewed per vault, and a vault
        // whose lease another replica took meanwhile is left to it.
        if (this.o.leases && !(await this.o.leases.renew(key))) {
          stats.vaultsElsewhere++;
          continue;
        }
        stats.vaults++;
        await this.holding(key, () => this.pollVault(key, group, stats));
      }
      await this.saveLearnt();
      this.o.onRound?.(stats, (performance.now() - started) / 1000);
      this.failures = 0;
      return stats;
    } catch (e) {
      this.failures = Math.min(this.failures + 1, 6);
      this.log.warn('watch round failed', {
        error: e instanceof Error ? e.message : String(e),
        failures: this.failures,
      });
      throw e;
    }
  }

  /**
   * Runs `work` on a vault while renewing its lease (and this replica's heartbeat) every
   * `renewEveryMs`. Reading 50 jobs' details and sending their cards can take longer than a lease
   * on a loaded machine or a throttled subscription; a lease that lapsed meanwhile would let another
   * replica, reading the watches this one has not yet recorded, send the same update a second time.
   */
  private async holding(key: string, work: () => Promise<void>): Promise<void> {
    const leases = this.o.leases;
    if (!leases) return work();
    let renewing: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      if (renewing) return; // a slow database: one renewal at a time
      renewing = leases
        .renew(key)
        .catch((e: unknown) =>
          this.log.warn('vault lease renewal failed', {
            vault: key,
            error: e instanceof Error ? e.message : String(e),
          }),
        )
        .finally(() => (renewing = undefined));
    }, leases.renewEveryMs);
    timer.unref();
    try {
      await work();
    } finally {
      clearInterval(timer);
      await renewing;
    }
  }

  private async pollVault(key: string, watches: Watch[], stats: RoundStats): Promise<void> {
    const { vaultName, resourceGroup, subscription } = watches[0]!;
    // A watch stored before its subscription was kept (migration 012) is of the one subscription
    // the bot then had, the first configured: by name alone, a vault of the same name in another
    // subscription would make every read of it ambiguous.
    const target = {
      vault: vaultName,
      resourceGroup,
      subscription: subscription ?? this.o.defaultSubscription,
    };
    // The list shows job ends (and failures); a snapshot's end only the details show. Listed at
    // most every 30 s, the naive watcher's pace: a list every 15 s round cost 7 % of the naive
    // watcher's reads on the varied estate, to see ends some 10 s sooner than it does.
    const now = this.now().getTime();
    const listedAt = this.lastListed.get(key);
    let statusById: Map<string, string> | undefined;
    if (listedAt === undefined || now - listedAt >= LIST_GAP_MS || now < listedAt) {
      const oldest = Math.min(...watches.map((w) => Date.parse(w.createdAt)));
      const listed = await this.o.service.listJobs(
        { since: new Date(oldest - 3_600_000), until: new Date(now + 3_600_000), limit: 1_000 },
        target,
      );
      stats.listCalls++;
      statusById = new Map(listed.map((j) => [j.id, j.azureStatus]));
    }
    // Details are read one after another (they cost ARM reads); the cards they change are sent
    // together, so one slow or throttled message does not hold up the others.
    const deliveries: Promise<void>[] = [];
    // Until a snapshot has been seen to end, the vault's oldest snapshot-phase job stands for the
    // others: it is read every round, and the rest only now and then.
    const probe = watches
      .filter((w) => phaseOf(w.fingerprint) === 'snapshot')
      .reduce<Watch | undefined>((a, w) => (!a || w.createdAt < a.createdAt ? w : a), undefined);
    for (const w of watches) {
      const listedStatus = statusById ? (statusById.get(w.jobId) ?? GONE) : NOT_LISTED;
      if (!this.needsDetails(w, listedStatus, w === probe)) continue;
      // What a read shows is as of when it was sent: time spent waiting for its answer (throttled,
      // retried) must not count as time the snapshot was seen still running.
      const sentAt = this.now().getTime();
      const job = await this.o.service.getJob(w.jobId, target);
      stats.detailCalls++;
      this.lastDetailRead.set(w.jobId, sentAt);
      this.learnSnapshot(w, job);
      deliveries.push(this.show(key, w, job, stats));
    }
    // Counted as listed only once every change it showed was read: after a read that failed, the
    // next round lists again rather than wait 30 s (for ever, on a clock that stands still).
    if (statusById) this.lastListed.set(key, now);
    await Promise.all(deliveries);
  }

  /**
   * Updates the job's card when what it shows has changed, then records what the card shows. An
   * update the channel gave up is not recorded, so a later round sends it again: the final state
   * always reaches the card.
   */
  private async show(vaultKey: string, w: Watch, job: BackupJob, stats: RoundStats): Promise<void> {
    const fingerprint = fingerprintOf(job);
    const done = isFinalJobStatus(job.status);
    if (fingerprint !== w.fingerprint) {
      // Still ours? A replica that stalled past its lease (a frozen process cannot renew) finds the
      // vault taken, and its new holder, which read the watch afresh, sends this update instead.
      // Renewing here also gives the send a whole term before anyone else may look at the card.
      if (this.o.leases && !(await this.o.leases.renew(vaultKey))) {
        this.log.info('vault lease lost mid-round; its new holder updates the card', {
          vault: vaultKey,
          jobId: w.jobId,
        });
        return;
      }
      const sink = this.o.sinks[w.platform];
      if (!sink) {
        this.log.warn('no channel for watched job', { platform: w.platform, jobId: w.jobId });
      } else {
        try {
          await sink(w, job, this.now());
          stats.updates++;
          this.unsent.delete(w.jobId);
        } catch (e) {
          stats.failedUpdates++;
          this.unsent.add(w.jobId);
          this.log.warn('card update failed; retried next round', {
            platform: w.platform,
            jobId: w.jobId,
            error: e instanceof Error ? e.message : String(e),
          });
          return;
        }
      }
    }
    if (fingerprint !== w.fingerprint || done) await this.o.store.record(w, fingerprint, done, this.now());
    // Read times matter only while a job takes its snapshot.
    if (phaseOf(fingerprint) !== 'snapshot') this.lastDetailRead.delete(w.jobId);
    if (done) stats.finished++;
  }

  /**
   * Whether this round must read the job's details to see its next change. `listedStatus` is the
   * job's status in this round's list, GONE when the list left it out, NOT_LISTED in a round that
   * did not list its vault.
   */
  private needsDetails(w: Watch, listedStatus: string, isProbe: boolean): boolean {
    const [snapshot, transfer, lastStatus, tasks] = w.fingerprint.split('|');
    if (!snapshot || !transfer || !lastStatus) return true; // never seen in detail
    if (this.unsent.has(w.jobId)) return true; // its last update is still to reach the card
    if (listedStatus === GONE) return true; // fell out of the list window: ask directly
    if (listedStatus !== NOT_LISTED && listedStatus !== lastStatus) return true; // the list shows a change
    // A restore's card follows its tasks, which only the details show; restores are few and short.
    if (tasks !== undefined) return true;
    if (!isTaskStatus(snapshot) || !isTaskStatus(transfer)) return true;
    // Snapshot and transfer both show as "InProgress" in the list: only details tell them apart.
    if (activePhase(snapshot, transfer) !== 'snapshot') return false;
    const now = this.now().getTime();
    const age = now - Date.parse(w.createdAt);
    const last = this.lastDetailRead.get(w.jobId) ?? Date.parse(w.createdAt);
    if (this.survival && this.survival.ends > 0) {
      // A per-job hazard: read once the snapshot has had a fair chance of ending since the last
      // read, by the estimated durations. Uniform snapshots cost one read each (at the learnt time);
      // varied ones are read more often where many snapshots end, less where few do.
      const since = last - Date.parse(w.createdAt);
      const chance = this.survival.chanceEndedBy(since, age);
      const maxGap = this.o.snapshotMaxGapMs ?? DEFAULT_MAX_GAP_MS;
      // Older than every snapshot seen to end: the estimate says nothing, so read at a pace that
      // grows with its age, and at least every maxGap.
      if (chance === undefined)
        return now - last >= Math.max(this.o.intervalMs, Math.min(maxGap, OLDER_THAN_LEARNT_GAP * age));
      if (chance >= (this.o.snapshotReadChance ?? DEFAULT_READ_CHANCE)) return true;
      // Where ends are rare but possible (long, spread-out snapshots) the hazard alone leaves gaps
      // of many minutes, and the p95 is set by those gaps: none longer than maxGap. Where the
      // estimate rules an end out (every snapshot takes 8 minutes; this one is at 5), no read.
      return now - last >= maxGap && chance >= MIN_CHANCE_FOR_GAP;
    }
    // Nothing learnt yet: the probe every round, the others every few minutes, so an estate whose
    // oldest job is slow still gets its cards.
    return isProbe || now - last >= UNLEARNT_RECHECK_MS;
  }

  /**
   * Snapshot durations as this round sees them: those learnt, and every watched job still taking
   * its snapshot at the age it was last read (it ran at least that long). Without the running ones
   * the estimate leans to short snapshots, the first to end (see SnapshotSurvival).
   */
  private estimateSurvival(active: readonly Watch[]): SnapshotSurvival {
    const running: number[] = [];
    for (const w of active) {
      const last = this.lastDetailRead.get(w.jobId);
      if (last !== undefined && phaseOf(w.fingerprint) === 'snapshot')
        running.push(last - Date.parse(w.createdAt));
    }
    return this.learnt.withRunning(running);
  }

  /** Remembers how long a snapshot took, once: when the card last showed it under way. */
  private learnSnapshot(w: Watch, job: BackupJob): void {
    const d = job.phases?.snapshot.status === 'Completed' ? job.phases.snapshot.durationMs : undefined;
    if (d === undefined || d <= 0) return;
    const shown = phaseOf(w.fingerprint);
    if (shown !== 'snapshot' && shown !== 'unknown') return;
    this.learnt.add(d);
    this.newlyLearnt.push(d);
  }

  private async loadLearnt(): Promise<void> {
    if (!this.o.durations) return;
    try {
      for (const d of await this.o.durations.load(SNAPSHOT)) this.learnt.add(d);
    } catch (e) {
      // Without them the watcher learns again from scratch: slower at first, never wrong.
      this.log.warn('learnt snapshot durations not loaded', {
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }

  private async saveLearnt(): Promise<void> {
    const learnt = this.newlyLearnt;
    this.newlyLearnt = [];
    if (!this.o.durations || learnt.length === 0) return;
    await this.o.durations.add(SNAPSHOT, learnt, this.now()).catch((e: unknown) =>
      this.log.warn('learnt snapshot durations not saved', {
        error: e instanceof Error ? e.message : String(e),
      }),
    );
  }
}

function emptyStats(): RoundStats {
  return {
    vaults: 0,
    vaultsElsewhere: 0,
    listCalls: 0,
    detailCalls: 0,
    updates: 0,
    failedUpdates: 0,
    finished: 0,
  };
}

/** Watches by vault, keyed by subscription, resource group and vault (the lease key). */
function groupByVault(watches: Watch[]): Map<string, Watch[]> {
  const byVault = new Map<string, Watch[]>();
  for (const w of watches) {
    const key = vaultLeaseKey(w);
    byVault.set(key, [...(byVault.get(key) ?? []), w]);
  }
  return byVault;
}

/** How often a snapshot-phase job is read while no snapshot has been seen to end. */
const UNLEARNT_RECHECK_MS = 4 * 60_000;
/** A job older than every learnt snapshot is read again after this share of its age. */
const OLDER_THAN_LEARNT_GAP = 0.2;
const DEFAULT_READ_CHANCE = 0.1;
const DEFAULT_MAX_GAP_MS = 3 * 60_000;
/** Below this chance of an end since the last read, a read is not worth it however long ago. */
const MIN_CHANCE_FOR_GAP = 0.01;
/** How often a vault's jobs are listed at most. */
const LIST_GAP_MS = 30_000;
/** needsDetails' listed status of a job the list left out, and of a round without a list. */
const GONE = '\u0000gone';
const NOT_LISTED = '\u0000not-listed';
const SNAPSHOT = 'snapshot';

/** The phase a card last showed under way, from its fingerprint. */
function phaseOf(fingerprint: string): 'snapshot' | 'transfer' | 'none' | 'unknown' {
  const [snapshot, transfer] = fingerprint.split('|');
  return snapshot && transfer && isTaskStatus(snapshot) && isTaskStatus(transfer)
    ? activePhase(snapshot, transfer)
    : 'unknown';
}

/**
 * What a card shows that can change: the two phases and the job's status as Azure sent it, and for
 * a restore (tasks, no phases) each task's status, so its card moves task by task as a backup's
 * moves phase by phase.
 */
export function fingerprintOf(job: BackupJob): string {
  const p = job.phases;
  const base = `${p?.snapshot.status ?? 'NotStarted'}|${p?.transfer.status ?? 'NotStarted'}|${job.azureStatus}`;
  return job.tasks?.length ? `${base}|${job.tasks.map((t) => t.status).join(',')}` : base;
}
