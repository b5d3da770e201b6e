import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * A vault's lease key: `<subscription>/<resource group>/<vault>` in lower case, so same-named vaults
 * of two subscriptions are two leases. A vault known without its subscription (a watch stored
 * before migration 012) keeps the older `<resource group>/<vault>`, the key older replicas use.
 */
export function vaultLeaseKey(v: {
  vaultName: string;
  resourceGroup: string;
  subscription?: string;
}): string {
  const key = `${v.resourceGroup}/${v.vaultName}`;
  return (v.subscription ? `${v.subscription}/${key}` : key).toLowerCase();
}

export interface VaultLeaseOptions {
  db: Kysely<Database>;
  /** This replica's name; unique among the replicas sharing the database. */
  replicaId: string;
  /** How long a lease (and a heartbeat) lasts without renewal: a dead replica's vaults wait this long. */
  ttlMs: number;
  /** Wall-clock time, shared by the replicas (not a sandbox's simulated clock). */
  now?: () => Date;
  /** How often a holder renews a lease while it works on the vault (default a third of `ttlMs`). */
  renewEveryMs?: number;
}

/**
 * Shares the vaults to poll among the replicas on one database. Each round a replica renews its
 * heartbeat, works out its fair share (vaults ÷ live replicas, rounded up), keeps the leases it
 * holds up to that share, hands back the rest, and claims free or expired ones. A claim is one
 * conditional upsert, so two replicas never hold the same vault; a replica that dies stops renewing
 * and its vaults pass to the others once its leases expire.
 */
export class VaultLeases {
  private readonly now: () => Date;

  constructor(private readonly o: VaultLeaseOptions) {
    this.now = o.now ?? (() => new Date());
  }

  get replicaId(): string {
    return this.o.replicaId;
  }

  /**
   * How often the watcher renews a lease while it polls the vault: well inside the term, so a live
   * replica's lease never lapses however long its reads and card updates take.
   */
  get renewEveryMs(): number {
    return this.o.renewEveryMs ?? Math.max(1, Math.floor(this.o.ttlMs / 3));
  }

  /** The vaults, of `vaultKeys`, that this replica holds for the next `ttlMs`. */
  async claimShare(vaultKeys: readonly string[]): Promise<Set<string>> {
    const now = this.now();
    await this.heartbeat(now);
    const held = new Set<string>();
    if (vaultKeys.length === 0) return held;
    const share = Math.ceil(vaultKeys.length / (await this.liveReplicas(now)));
    const rows = await this.o.db
      .selectFrom('vault_leases')
      .selectAll()
      .where('vault_key', 'in', [...vaultKeys])
      .execute();
    const byKey = new Map(rows.map((r) => [r.vault_key, r]));
    const nowIso = now.toISOString();
    const mine = vaultKeys.filter((k) => byKey.get(k)?.holder === this.o.replicaId);
    const free = vaultKeys.filter((k) => {
      const lease = byKey.get(k);
      return !lease || (lease.holder !== this.o.replicaId && lease.expires_at <= nowIso);
    });
    // Over our share (another replica has joined): hand the surplus back for it to take.
    const surplus = mine.slice(share);
    if (surplus.length > 0) await this.release(surplus);
    for (const key of [...mine.slice(0, share), ...free]) {
      if (held.size >= share) break;
      if (await this.claim(key, now)) held.add(key);
    }
    return held;
  }

  /**
   * Extends one held lease, and this replica's heartbeat: before its vault is polled, while it is
   * polled, and before each card update. False when it was lost (expired and taken), and the vault
   * must be left to its new holder. The heartbeat matters as much as the lease: a replica whose
   * heartbeat is older than the term counts as dead, its share goes to the others, and they claim
   * its leases the moment one lapses.
   */
  async renew(key: string): Promise<boolean> {
    const now = this.now();
    await this.heartbeat(now);
    const r = await this.o.db
      .updateTable('vault_leases')
      .set({ expires_at: new Date(now.getTime() + this.o.ttlMs).toISOString() })
      .where('vault_key', '=', key)
      .where('holder', '=', this.o.replicaId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Gives every lease back (a clean stop), so the other replicas need not wait for expiry. */
  async releaseAll(): Promise<void> {
    await this.o.db.deleteFrom('vault_leases').where('holder', '=', this.o.replicaId).execute();
    await this.o.db.deleteFrom('replicas').where('replica_id', '=', this.o.replicaId).execute();
  }

  private async claim(key: string, now: Date): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + this.o.ttlMs).toISOString();
    const result = await this.o.db
      .insertInto('vault_leases')
      .values({ vault_key: key, holder: this.o.replicaId, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('vault_key')
          .doUpdateSet({ holder: this.o.replicaId, expires_at: expiresAt })
          .where((eb) =>
            eb.or([
              eb('vault_leases.holder', '=', this.o.replicaId),
              eb('vault_leases.expires_at', '<=', now.toISOString()),
            ]),
          ),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  private async release(keys: string[]): Promise<void> {
    await this.o.db
      .deleteFrom('vault_leases')
      .where('holder', '=', this.o.replicaId)
      .where('vault_key', 'in', keys)
      .execute();
  }

  private async heartbeat(now: Date): Promise<void> {
    await this.o.db
      .insertInto('replicas')
      .values({ replica_id: this.o.replicaId, seen_at: now.toISOString() })
      .onConflict((oc) => oc.column('replica_id').doUpdateSet({ seen_at: now.toISOString() }))
      .execute();
  }

  private async liveReplicas(now: Date): Promise<number> {
    const since = new Date(now.getTime() - this.o.ttlMs).toISOString();
    const row = await this.o.db
      .selectFrom('replicas')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('seen_at', '>', since)
      .executeTakeFirst();
    return Math.max(1, Number(row?.n ?? 1));
  }
}
