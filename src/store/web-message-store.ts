import type { Kysely, Selectable } from 'kysely';
import type { Database, WebMessageTable } from './schema.js';

/** A message of the local web chat: the user's text, or the bot's card (kept so a reload or restart loses nothing). */
export interface WebMessage {
  id: string;
  conversationId: string;
  author: string;
  text?: string;
  card?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export class WebMessageStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(m: WebMessage): Promise<void> {
    await this.db
      .insertInto('web_messages')
      .values({
        id: m.id,
        conversation_id: m.conversationId,
        author: m.author,
        text: m.text ?? null,
        card: m.card ? JSON.stringify(m.card) : null,
        created_at: m.createdAt,
        updated_at: m.updatedAt,
      })
      .execute();
  }

  async updateCard(id: string, card: Record<string, unknown>, now: Date): Promise<WebMessage | undefined> {
    await this.db
      .updateTable('web_messages')
      .set({ card: JSON.stringify(card), updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
    return this.get(id);
  }

  async get(id: string): Promise<WebMessage | undefined> {
    const r = await this.db.selectFrom('web_messages').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toMessage(r) : undefined;
  }

  /** The last `limit` messages of a conversation, oldest first. */
  async history(conversationId: string, limit = 200): Promise<WebMessage[]> {
    const rows = await this.db
      .selectFrom('web_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map(toMessage);
  }
}

function toMessage(r: Selectable<WebMessageTable>): WebMessage {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    author: r.author,
    ...(r.text !== null ? { text: r.text } : {}),
    ...(r.card !== null ? { card: JSON.parse(r.card) as Record<string, unknown> } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
