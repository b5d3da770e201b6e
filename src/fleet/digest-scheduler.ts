import type { BackupService } from '../azure/backup-service.js';
import type { ChannelAddress, DigestReport } from '../domain/index.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { DigestScheduleStore } from '../store/digest-schedule-store.js';
import { collectDigest } from './backup-digest.js';
import type { FleetServices } from './fleet-services.js';

/** How to post a digest (a report: the composition root makes it a card) to an address; undefined when its platform is not running. */
export type DigestPosterFor = (
  address: ChannelAddress,
) => ((report: DigestReport) => Promise<void>) | undefined;

export interface DigestSchedulerOptions {
  store: DigestScheduleStore;
  service: BackupService;
  vaultsFor: FleetServices['vaultsFor'];
  posterFor: DigestPosterFor;
  /** How often schedules are looked at (a minute in production). */
  intervalMs: number;
  now?: () => Date;
  logger?: Logger;
}

/**
 * Posts each channel's daily digest once its UTC time has come, once a day. Schedules are rows,
 * so they survive restarts (a digest due while the bot was down is posted when it is back, the
 * same day); each day's digest is claimed by a conditional update of the row, so of several
 * replicas exactly one posts it. A failed post gives the claim back for the next round.
 */
export class DigestScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly now: () => Date;
  private readonly log: Logger;

  constructor(private readonly o: DigestSchedulerOptions) {
    this.now = o.now ?? (() => new Date());
    this.log = o.logger ?? silentLogger;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () =>
        void this.runOnce().catch((e: unknown) =>
          this.log.warn('digest round failed; the next one tries again', {
            error: e instanceof Error ? e.message : String(e),
          }),
        ),
      this.o.intervalMs,
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Posts the digests due now; returns how many were posted. */
  async runOnce(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let posted = 0;
    try {
      const now = this.now();
      const today = now.toISOString().slice(0, 10);
      const time = now.toISOString().slice(11, 16);
      for (const s of await this.o.store.list()) {
        if (s.time > time || (s.lastSentOn !== undefined && s.lastSentOn >= today)) continue;
        const post = this.o.posterFor(s.address);
        if (!post || !(await this.o.store.claim(s.target, today))) continue;
        try {
          const report = await collectDigest(this.o.service, await this.o.vaultsFor(s.target), now);
          await post(report);
          posted++;
          this.log.info('digest posted', { target: s.target });
        } catch (e) {
          await this.o.store.release(s.target, today, s.lastSentOn);
          this.log.warn('digest not posted; retried next round', {
            target: s.target,
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
    } finally {
      this.running = false;
    }
    return posted;
  }
}
