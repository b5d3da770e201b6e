import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { ColumnDefinitionBuilder, CreateTableBuilder, Migration, MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

/** An open store and the engine behind it (one replica on SQLite, several on PostgreSQL). */
export interface OpenStore {
  db: Kysely<Database>;
  dialect: StoreDialect;
}

/** Whether a database location is a PostgreSQL connection string rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * The store: SQLite (better-sqlite3) for one bot, PostgreSQL for several replicas — the same
 * Kysely query code on both. Migrations run at open (PostgreSQL serialises concurrent openers
 * with an advisory lock, so replicas may start together); `:memory:` gives a throwaway database.
 */
export async function openStore(
  location: string,
  o: { onConnectionError?: (e: Error) => void } = {},
): Promise<OpenStore> {
  const dialect: StoreDialect = isPostgresUrl(location) ? 'postgres' : 'sqlite';
  const db = new Kysely<Database>({
    dialect:
      dialect === 'postgres'
        ? new PostgresDialect({ pool: openPool(location, o.onConnectionError) })
        : new SqliteDialect({ database: openSqlite(location) }),
  });
  try {
    const migrator = new Migrator({ db, provider: new InlineMigrations(dialect) });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, dialect };
}

/** Whether the store answers a trivial query (readiness: no watch, approval or audit without it). */
export async function storeAnswers(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** The server's readiness: ready while the store answers, since no watch, approval or audit is kept without it. */
export async function storeReadiness(db: Kysely<Database>): Promise<{ ready: boolean; reason?: string }> {
  return (await storeAnswers(db))
    ? { ready: true }
    : { ready: false, reason: 'The database does not answer.' };
}

/** The database alone, for callers that do not care which engine holds it. */
export async function openDatabase(location: string): Promise<Kysely<Database>> {
  return (await openStore(location)).db;
}

function openPool(connectionString: string, onError?: (e: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle connection the server drops (restart, failover) is an 'error' event on the pool, which
  // would end the process unhandled; the pool opens a new connection when one is next needed.
  pool.on('error', (e) => onError?.(e));
  return pool;
}

function openSqlite(path: string): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

class InlineMigrations implements MigrationProvider {
  constructor(private readonly dialect: StoreDialect) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

/** An auto-numbered primary key: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL's serial. */
function withSequence<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
  column: string,
  dialect: StoreDialect,
): CreateTableBuilder<T, C> {
  return dialect === 'postgres'
    ? table.addColumn(column, 'serial', (c: ColumnDefinitionBuilder) => c.primaryKey())
    : table.addColumn(column, 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}

/** Migrations only ever get appended: a database keeps the names it has run. */
const migrations = (dialect: StoreDialect): Record<string, Migration> => ({
  '001-watches-and-web-messages': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('watches')
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('vault_name', 'text', (c) => c.notNull())
        .addColumn('resource_group', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('message_ref', 'text', (c) => c.notNull())
        .addColumn('extras', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('fingerprint', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('watches_pk', ['job_id', 'platform', 'message_ref'])
        .execute();
      await db.schema.createIndex('watches_active').on('watches').columns(['done', 'vault_name']).execute();
      await withSequence(db.schema.createTable('web_messages'), 'seq', dialect)
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('text', 'text')
        .addColumn('card', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('web_messages_conversation')
        .on('web_messages')
        .columns(['conversation_id', 'seq'])
        .execute();
    },
  },
  '002-approvals-and-audit': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('approvals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('args', 'text', (c) => c.notNull())
        .addColumn('confirm_name', 'text', (c) => c.notNull())
        .addColumn('consequences', 'text', (c) => c.notNull())
        .addColumn('requested_by_id', 'text', (c) => c.notNull())
        .addColumn('requested_by_name', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('decided_by_id', 'text')
        .addColumn('decided_by_name', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('outcome', 'text')
        .execute();
      await withSequence(db.schema.createTable('audit'), 'seq', dialect)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_target').on('audit').columns(['target', 'seq']).execute();
    },
  },
  '003-alerted-jobs': {
    async up(db: Kysely<unknown>) {
      // The primary key is the claim: of two alerters (or replicas) only one inserts a job's row.
      await db.schema
        .createTable('alerted_jobs')
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('vault_name', 'text', (c) => c.notNull())
        .addColumn('resource_group', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('alerted_jobs_pk', ['job_id', 'target'])
        .execute();
      await db.schema
        .createTable('alert_scopes')
        .addColumn('scope', 'text', (c) => c.primaryKey())
        .addColumn('watching_since', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '004-vault-leases': {
    async up(db: Kysely<unknown>) {
      // Replicas on one PostgreSQL database: each vault is polled by whoever holds its lease.
      await db.schema
        .createTable('vault_leases')
        .addColumn('vault_key', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('replicas')
        .addColumn('replica_id', 'text', (c) => c.primaryKey())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '005-deliveries': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('deliveries')
        .addColumn('delivery_id', 'text', (c) => c.primaryKey())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('deliveries_seen').on('deliveries').column('seen_at').execute();
    },
  },
  '006-open-commands': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('open_commands')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('message_ref', 'text')
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('alive_until', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('open_commands_alive').on('open_commands').column('alive_until').execute();
    },
  },
  '008-approval-plans': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('approvals')
        .addColumn('plan', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('approvals').addColumn('azure_operation', 'text').execute();
    },
  },
  '009-message-keys-and-approval-cards': {
    async up(db: Kysely<unknown>) {
      // A watch is keyed by its message's stable key (Slack channel:ts, Teams conversation:activityId,
      // web message id), not by the reference's JSON, which differs between two events about one card.
      await db.schema
        .alterTable('watches')
        .addColumn('message_key', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await sql`update watches set message_key = message_ref`.execute(db);
      await db.schema
        .createIndex('watches_by_message')
        .on('watches')
        .columns(['job_id', 'platform', 'message_key'])
        .unique()
        .execute();
      // Where an approval's card lives, so the background executor (or the next process) updates it.
      await db.schema.alterTable('approvals').addColumn('card_platform', 'text').execute();
      await db.schema.alterTable('approvals').addColumn('card_ref', 'text').execute();
      // The job an approved action started (a restore's), which its card follows.
      await db.schema.alterTable('approvals').addColumn('started_job', 'text').execute();
    },
  },
  '007-started-jobs': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('started_jobs')
        .addColumn('job_id', 'text', (c) => c.primaryKey())
        .addColumn('vault_key', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '010-learnt-durations': {
    async up(db: Kysely<unknown>) {
      await withSequence(db.schema.createTable('learnt_durations'), 'seq', dialect)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('learnt_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('learnt_durations_kind')
        .on('learnt_durations')
        .columns(['kind', 'seq'])
        .execute();
    },
  },
  '011-alert-subscriptions-and-digests': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alert_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('vault_name', 'text')
        .addColumn('resource_group', 'text')
        .addColumn('only_failures', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('digest_schedules')
        .addColumn('target', 'text', (c) => c.primaryKey())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('last_sent_on', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // Two subscriptions may hold vaults of the same name and group: a watch and an alert
  // subscription keep their vault's subscription, and the vault leases key it (vaultLeaseKey; the key is text, so no change
  // to vault_leases itself).
  '012-watch-subscription': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('watches').addColumn('subscription', 'text').execute();
      await db.schema.alterTable('alert_subscriptions').addColumn('subscription', 'text').execute();
    },
  },
});
