import type { Generated } from 'kysely';

/** Tables of the bot's own state (jobs being watched, web chat history). */
export interface WatchTable {
  job_id: string;
  vault_name: string;
  resource_group: string;
  platform: string;
  /** Where the job's card lives, as the channel that posted it wrote it (JSON). */
  message_ref: string;
  /** Retain-until and consistency shown on the card (JSON). */
  extras: string;
  /** "snapshot|transfer|status" of the last view sent: a change means a card update. */
  fingerprint: string;
  done: number;
  created_at: string;
  updated_at: string;
}

export interface WebMessageTable {
  seq: Generated<number>;
  id: string;
  conversation_id: string;
  author: string;
  text: string | null;
  card: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  watches: WatchTable;
  web_messages: WebMessageTable;
}
