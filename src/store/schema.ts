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

export interface ApprovalTable {
  id: string;
  /** The destructive command's id (`backup.delete-data`, `resourcegroup.delete`). */
  action: string;
  target: string;
  /** The command's arguments, to run it once approved (JSON). */
  args: string;
  confirm_name: string;
  /** What will happen and what is lost, as shown on the card (JSON array of lines). */
  consequences: string;
  requested_by_id: string;
  requested_by_name: string;
  platform: string;
  state: string;
  created_at: string;
  expires_at: string;
  decided_by_id: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  outcome: string | null;
}

export interface AuditTable {
  seq: Generated<number>;
  at: string;
  user_id: string;
  user_name: string;
  platform: string;
  action: string;
  target: string;
  outcome: string;
}

export interface Database {
  watches: WatchTable;
  web_messages: WebMessageTable;
  approvals: ApprovalTable;
  audit: AuditTable;
}
