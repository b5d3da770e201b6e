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

  constructor(private readonly concurrency: number) {}

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
              this.waiting.shift()?.();
            });
        });
      };
      if (this.running < this.concurrency) start();
      else this.waiting.push(start);
    });
  }
}
