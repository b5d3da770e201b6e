import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { EnvReader } from '../domain/env-reader.js';

export interface StoreSettings {
  /** SQLite file of the bot's state (watched jobs, approvals, audit, web chat history). */
  databasePath: string;
  /** PostgreSQL instead of SQLite, for several replicas (a secret: it may hold a password). */
  databaseUrl?: string;
  /** This replica's name among those sharing a PostgreSQL database (leases of vaults to poll). */
  replicaId: string;
}

/** DATABASE_PATH, DATABASE_URL and REPLICA_ID. */
export function readStoreSettings(read: EnvReader): StoreSettings {
  const databaseUrl = read.string('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\/[^\s]+$/i.test(databaseUrl)) {
    // The value may carry a password: never repeat it.
    read.problem('DATABASE_URL must be a PostgreSQL connection string (postgres://user:password@host/db).');
  }
  return {
    databasePath: read.string('DATABASE_PATH') ?? 'data/backup-chatops.db',
    ...(databaseUrl ? { databaseUrl } : {}),
    replicaId: read.string('REPLICA_ID') ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
  };
}

/** Where the bot's state lives: the PostgreSQL URL when given, else the SQLite file. */
export function storeLocation(settings: Pick<StoreSettings, 'databaseUrl' | 'databasePath'>): string {
  return settings.databaseUrl ?? settings.databasePath;
}
