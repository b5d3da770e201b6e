/**
 * Runs at most `concurrency` tasks at once, the rest in arrival order. The channels put the work
 * behind an acknowledgement here (answering a command, updating its card), so that a burst of
 * commands cannot pile up so much work on the one event loop that the next requests' acks wait
 * behind it: the platforms want theirs within moments (Slack: 3 s, or it retries).
 */
/** Commands worked on at once per channel: enough for slow Azure calls, few enough for fast acks. */
export const WORK_CONCURRENCY = 8;

export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly whenIdle: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly concurrency: number) {}

  /**
   * Runs `task` in its turn. Once the queue is stopped, a task that has not started never does and
   * its promise never settles: its command stays on record for the next process.
   */
  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.running++;
        // A macrotask hop: requests that arrived meanwhile are read (and acked) first.
        setImmediate(() => {
          task()
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              if (!this.stopped) this.waiting.shift()?.();
              if (this.running === 0) for (const wake of this.whenIdle.splice(0)) wake();
            });
        });
      };
      if (this.stopped) return;
      if (this.running < this.concurrency) start();
      else this.waiting.push(start);
    });
  }

  /** Starts nothing more: tasks still waiting are dropped. */
  stop(): void {
    this.stopped = true;
    this.waiting.length = 0;
  }

  /** Resolves once no task is running. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenIdle.push(resolve));
  }
}
