/** Most items written in one statement (well under SQLite's and PostgreSQL's parameter limits). */
const MAX_BATCH = 200;

/**
 * Gathers the writes asked for in one turn of the event loop and makes them one statement: each
 * caller's promise settles with that statement.
 */
export class WriteBatch<T> {
  private pending: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly write: (items: T[]) => Promise<unknown>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      const part = batch.slice(i, i + MAX_BATCH);
      try {
        await this.write(part.map((p) => p.item));
        for (const p of part) p.resolve();
      } catch (e) {
        for (const p of part) p.reject(e);
      }
    }
  }
}
