/**
 * Remembers which platform deliveries were handled recently, so a redelivery does nothing: Slack
 * resends an event (same `event_id`, `X-Slack-Retry-Num` set) when its first delivery was not
 * acknowledged in 3 seconds, and the Bot Framework may resend an activity with the same id. Running
 * a command twice could start a second backup, so the second delivery is dropped. Memory only: the
 * platforms retry within minutes, and a restart between the two is rare enough to accept.
 */
export class RecentDeliveries {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time a delivery id is offered within the window; false for a redelivery. */
  firstTime(id: string): boolean {
    const t = this.now();
    this.forgetOld(t);
    if (this.seen.has(id)) return false;
    this.seen.set(id, t);
    // A Map iterates in insertion order: past the cap, the oldest ids go first.
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  /** Forgets a delivery whose handling failed before it did anything, so a redelivery runs it. */
  forget(id: string): void {
    this.seen.delete(id);
  }

  /** Entries are in time order (set once, never refreshed): the expired ones are at the front. */
  private forgetOld(t: number): void {
    for (const [id, at] of this.seen) {
      if (t - at < this.ttlMs) break;
      this.seen.delete(id);
    }
  }
}
