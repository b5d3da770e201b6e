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
  /** What exactly is acted on, as approved (JSON array of lines; `[]` on requests older than it). */
  plan: string;
  /** The Azure operation the approved action started (AcceptedOperation JSON), once Azure accepted it. */
  azure_operation: string | null;
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

/** Who polls a vault now; a lease nobody renews expires and another replica takes it. */
export interface VaultLeaseTable {
  /** `<resource group>/<vault>`, lower-cased. */
  vault_key: string;
  holder: string;
  expires_at: string;
}

/** Replicas alive recently (heartbeats): the vaults are shared out among them. */
export interface ReplicaTable {
  replica_id: string;
  seen_at: string;
}

export interface Database {
  vault_leases: VaultLeaseTable;
  replicas: ReplicaTable;
  watches: WatchTable;
  web_messages: WebMessageTable;
  approvals: ApprovalTable;
  audit: AuditTable;
}

/** One alert about a failed scheduled backup, per job and alert target (ScheduledJobAlerter). */
export interface AlertedJobTable {
  job_id: string;
  /** Where the alert goes: `slack:C123`, `teams:<conversation id>`, `web`. */
  target: string;
  vault_name: string;
  resource_group: string;
  /** The job's status when alerted (Failed, CompletedWithWarnings). */
  status: string;
  ended_at: string;
  /** `sending` while claimed, `sent` once posted. */
  state: string;
  claimed_at: string;
}

/** From when a target watches a vault: failures that ended earlier are never alerted. */
export interface AlertScopeTable {
  /** `<target>|<resource group>/<vault>`, lower-cased. */
  scope: string;
  watching_since: string;
}

/** Platform deliveries already handled (DeliveryStore): a redelivery is dropped. */
export interface DeliveryTable {
  /** `slack:<event id>`, `teams:<conversation id>|<activity id>`. */
  delivery_id: string;
  seen_at: string;
}

// Declaration merging keeps later tables in appended blocks of this shared file.
export interface Database {
  alerted_jobs: AlertedJobTable;
  alert_scopes: AlertScopeTable;
  deliveries: DeliveryTable;
}

/**
 * A typed command between its placeholder being shown and its answer (OpenCommandStore): what a
 * restart would otherwise leave as "Working on it…" for ever.
 */
export interface OpenCommandTable {
  id: string;
  platform: string;
  /** Where a new message can be posted: the conversation, as the channel wrote it (JSON). */
  target: string;
  /** Where the placeholder lives once posted, as the channel wrote it (JSON). */
  message_ref: string | null;
  /** The ChatRequest being answered (JSON). */
  request: string;
  started_at: string;
  /** The process working on it, which renews `alive_until` while it lives ('' once given back). */
  owner: string;
  alive_until: string;
  /** Tries at answering it after its process died. */
  attempts: number;
}

export interface Database {
  open_commands: OpenCommandTable;
}

/** A backup job the bot's own commands started (StartedJobStore). */
export interface StartedJobTable {
  /** Lower-cased job id. */
  job_id: string;
  /** `<resource group>/<vault>`, lower-cased. */
  vault_key: string;
  started_at: string;
}

export interface Database {
  started_jobs: StartedJobTable;
}

// Migration 009: a watch's message key, and where an approval's card lives.
export interface WatchTable {
  /** The message's stable key (MessageRef.key); a reference's JSON for watches older than it. */
  message_key: string;
  /** The vault's subscription id (migration 012); null on older rows and for a vault found by name. */
  subscription: string | null;
}
export interface ApprovalTable {
  /** The platform of the approval card the background executor updates, and its reference (JSON). */
  card_platform: string | null;
  card_ref: string | null;
  /** The job the approved action started (JSON), which the card follows to its end. */
  started_job: string | null;
}

/** A snapshot duration the JobWatcher learnt (LearntDurationStore). */
export interface LearntDurationTable {
  seq: Generated<number>;
  /** What was timed: `snapshot`. */
  kind: string;
  duration_ms: number;
  learnt_at: string;
}

export interface Database {
  learnt_durations: LearntDurationTable;
}

/**
 * A chat channel's subscription to backup alerts (AlertSubscriptionStore): any number a channel,
 * one per scope.
 */
export interface AlertSubscriptionTable {
  /** `<target>|<scope>`: the target (`slack:C1`, `teams:<conversation>`, `web`) and `all` or `<rg>/<vault>`, lower-cased. */
  id: string;
  target: string;
  /** What posting to the channel needs, as the subscribing request gave it (JSON ChannelAddress). */
  address: string;
  /** Null: every vault the bot alerts for. */
  vault_name: string | null;
  resource_group: string | null;
  /** The vault's subscription id when it was named (migration 012); null: found by vault name. */
  subscription: string | null;
  /** 1: Failed only; 0: Failed and CompletedWithWarnings. */
  only_failures: number;
  created_by: string;
  created_at: string;
}

/** A channel's daily digest (DigestScheduleStore). */
export interface DigestScheduleTable {
  target: string;
  address: string;
  /** `HH:MM`, UTC. */
  time: string;
  /** The UTC day (`YYYY-MM-DD`) of the last digest sent: the claim that makes one replica send it. */
  last_sent_on: string | null;
  created_by: string;
}

export interface Database {
  alert_subscriptions: AlertSubscriptionTable;
  digest_schedules: DigestScheduleTable;
}
