/**
 * The sandbox's clock: real time scaled by `speed` (simulated seconds per real second), plus what
 * tests add by hand. Speed 0 stops it, so a test moves time only with advance().
 */
export class SimulatedClock {
  private readonly realStart = Date.now();
  private offsetMs = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly start: Date,
    readonly speed: number,
  ) {}

  now(): Date {
    return new Date(this.start.getTime() + (Date.now() - this.realStart) * this.speed + this.offsetMs);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('The sandbox clock only moves forward.');
    this.offsetMs += ms;
    for (const l of this.listeners) l();
  }

  /** Called after every advance (the job engine catches up at once). */
  onAdvance(listener: () => void): void {
    this.listeners.push(listener);
  }
}
