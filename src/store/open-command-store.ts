import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChatRequest } from '../chat/chat-request.js';
import type { Database } from './schema.js';

export interface OpenCommand {
  id: string;
  platform: string;
  messageRef: Record<string, unknown>;
  request: ChatRequest;
  startedAt: Date;
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

  async open(c: Omit<OpenCommand, 'id' | 'startedAt'>): Promise<OpenCommand> {
    const now = this.now();
    const command = { ...c, id: randomUUID(), startedAt: this.commandClock() };
    await this.db
      .insertInto('open_commands')
      .values({
        id: command.id,
        platform: c.platform,
        message_ref: JSON.stringify(c.messageRef),
        request: JSON.stringify(c.request),
        started_at: command.startedAt.toISOString(),
        owner: this.owner,
        alive_until: this.until(now),
      })
      .execute();
    return command;
  }

  async close(id: string): Promise<void> {
    await this.db.deleteFrom('open_commands').where('id', '=', id).execute();
  }

  /** Keeps this process's commands its own for another `ttlMs`. */
  async renew(): Promise<void> {
    await this.db
      .updateTable('open_commands')
      .set({ alive_until: this.until(this.now()) })
      .where('owner', '=', this.owner)
      .execute();
  }

  /**
   * Takes the commands, on `platforms` (those this process can show), whose holder has stopped
   * renewing them (at most `limit`).
   */
  async claimAbandoned(platforms: readonly string[], limit = 50): Promise<OpenCommand[]> {
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
        messageRef: JSON.parse(r.message_ref) as Record<string, unknown>,
        request: JSON.parse(r.request) as ChatRequest,
        startedAt: new Date(r.started_at),
      });
    }
    return claimed;
  }

  private until(now: Date): string {
    return new Date(now.getTime() + this.ttlMs).toISOString();
  }
}
