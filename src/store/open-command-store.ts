import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { ChatRequest } from '../domain/index.js';
import type { Database, OpenCommandTable } from './schema.js';
import { WriteBatch } from './write-batch.js';

export interface OpenCommand {
  id: string;
  platform: string;
  /** Where a new message can be posted (the conversation), as the channel wrote it. */
  target: Record<string, unknown>;
  /** The placeholder, once posted, as the channel wrote it. */
  messageRef?: Record<string, unknown>;
  request: ChatRequest;
  startedAt: Date;
  /** Earlier tries at answering it after its process died. */
  attempts: number;
}

/**
 * Typed commands being answered, each held by the process working on it for `ttlMs` at a time
 * (renewed while it lives). A row whose holder stopped renewing belongs to a process that died
 * mid-command; any process may claim it, once, with a conditional update.
 */
export class OpenCommandStore {
  /** This process: a restart is another holder, even under the same replica name. */
  private readonly owner = randomUUID();
  private readonly now: () => Date;
  private readonly commandClock: () => Date;
  // A burst of commands costs one write (and one fsync on SQLite) to open, and one to close,
  // instead of one each: the writes run on the event loop that acknowledges the next requests.
  private readonly inserts = new WriteBatch<Insertable<OpenCommandTable>>((rows) =>
    this.db.insertInto('open_commands').values(rows).execute(),
  );
  private readonly deletes = new WriteBatch<string>((ids) =>
    this.db.deleteFrom('open_commands').where('id', 'in', ids).where('owner', '=', this.owner).execute(),
  );

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs: number,
    clocks: {
      /** Wall-clock time for the holds, shared by the processes (not a sandbox's simulated clock). */
      now?: () => Date;
      /** The bot's clock, which Azure's job times agree with: when a command started. */
      commands?: () => Date;
    } = {},
  ) {
    this.now = clocks.now ?? (() => new Date());
    this.commandClock = clocks.commands ?? this.now;
  }

  async open(c: Pick<OpenCommand, 'platform' | 'target' | 'messageRef' | 'request'>): Promise<OpenCommand> {
    const command: OpenCommand = { ...c, id: randomUUID(), startedAt: this.commandClock(), attempts: 0 };
    await this.inserts.add({
      id: command.id,
      platform: c.platform,
      target: JSON.stringify(c.target),
      message_ref: c.messageRef ? JSON.stringify(c.messageRef) : null,
      request: JSON.stringify(c.request),
      started_at: command.startedAt.toISOString(),
      owner: this.owner,
      alive_until: this.until(this.now()),
      attempts: 0,
    });
    return command;
  }

  /** Records the placeholder once it is posted. */
  async placed(id: string, messageRef: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('open_commands')
      .set({ message_ref: JSON.stringify(messageRef) })
      .where('id', '=', id)
      .where('owner', '=', this.owner)
      .execute();
  }

  /** Done with it; a command another process has taken meanwhile is left to that one. */
  close(id: string): Promise<void> {
    return this.deletes.add(id);
  }

  /**
   * Whether this process still holds the command, renewing the hold if so: false once another
   * process took it over (this one stalled past its hold), which then answers it instead.
   */
  async holds(id: string): Promise<boolean> {
    const r = await this.db
      .updateTable('open_commands')
      .set({ alive_until: this.until(this.now()) })
      .where('id', '=', id)
      .where('owner', '=', this.owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Keeps this process's commands its own for another `ttlMs`. */
  async renew(): Promise<void> {
    await this.db
      .updateTable('open_commands')
      .set({ alive_until: this.until(this.now()) })
      .where('owner', '=', this.owner)
      .execute();
  }

  /** Gives a claimed command back, to be tried again (by any process) after `retryInMs`. */
  async release(id: string, retryInMs: number): Promise<void> {
    await this.db
      .updateTable('open_commands')
      .set((eb) => ({
        owner: '',
        alive_until: new Date(this.now().getTime() + retryInMs).toISOString(),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('owner', '=', this.owner)
      .execute();
  }

  /**
   * Takes the commands, on `platforms` (those this process can show), whose holder has stopped
   * renewing them (at most `limit`, oldest first).
   */
  async claimAbandoned(platforms: readonly string[], limit: number): Promise<OpenCommand[]> {
    if (platforms.length === 0) return [];
    const now = this.now();
    const rows = await this.db
      .selectFrom('open_commands')
      .selectAll()
      .where('alive_until', '<', now.toISOString())
      .where('platform', 'in', [...platforms])
      .orderBy('started_at')
      .limit(limit)
      .execute();
    const claimed: OpenCommand[] = [];
    for (const r of rows) {
      const taken = await this.db
        .updateTable('open_commands')
        .set({ owner: this.owner, alive_until: this.until(now) })
        .where('id', '=', r.id)
        .where('owner', '=', r.owner)
        .where('alive_until', '=', r.alive_until)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) continue;
      claimed.push({
        id: r.id,
        platform: r.platform,
        target: JSON.parse(r.target) as Record<string, unknown>,
        ...(r.message_ref ? { messageRef: JSON.parse(r.message_ref) as Record<string, unknown> } : {}),
        request: JSON.parse(r.request) as ChatRequest,
        startedAt: new Date(r.started_at),
        attempts: Number(r.attempts),
      });
    }
    return claimed;
  }

  private until(now: Date): string {
    return new Date(now.getTime() + this.ttlMs).toISOString();
  }
}
