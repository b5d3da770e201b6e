import type { Kysely } from 'kysely';
import type { ChannelAddress } from '../domain/index.js';
import { parseAddress, targetIdOf } from '../domain/index.js';
import type { Database } from './schema.js';

export interface AlertSubscription {
  target: string;
  address: ChannelAddress;
  /** Undefined: every vault the bot alerts for. */
  vault?: { vault: string; resourceGroup: string; subscription?: string };
  onlyFailures: boolean;
  createdBy: string;
  createdAt: string;
}

/** Chat channels' subscriptions to backup alerts: rows, so they survive restarts and are shared by replicas. */
export class AlertSubscriptionStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds or replaces the channel's subscription of this scope; true when it is new. */
  async subscribe(s: Omit<AlertSubscription, 'target'>): Promise<boolean> {
    const target = targetIdOf(s.address);
    const id = idOf(target, s.vault);
    const row = {
      target,
      address: JSON.stringify(s.address),
      vault_name: s.vault?.vault ?? null,
      resource_group: s.vault?.resourceGroup ?? null,
      subscription: s.vault?.subscription ?? null,
      only_failures: s.onlyFailures ? 1 : 0,
      created_by: s.createdBy,
      created_at: s.createdAt,
    };
    const existed = await this.db
      .selectFrom('alert_subscriptions')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    await this.db
      .insertInto('alert_subscriptions')
      .values({ id, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
    return !existed;
  }

  /** Removes the channel's subscription of this scope, or all of them with `vault` = 'every'; how many went. */
  async unsubscribe(target: string, vault: AlertSubscription['vault'] | 'every'): Promise<number> {
    let q = this.db.deleteFrom('alert_subscriptions').where('target', '=', target);
    if (vault !== 'every') q = q.where('id', '=', idOf(target, vault));
    const result = await q.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Every subscription (of one target when given), oldest first. */
  async list(target?: string): Promise<AlertSubscription[]> {
    let q = this.db.selectFrom('alert_subscriptions').selectAll().orderBy('created_at').orderBy('id');
    if (target) q = q.where('target', '=', target);
    const rows = await q.execute();
    return rows.flatMap((r) => {
      const address = parseAddress(r.address);
      if (!address) return [];
      return [
        {
          target: r.target,
          address,
          ...(r.vault_name && r.resource_group
            ? {
                vault: {
                  vault: r.vault_name,
                  resourceGroup: r.resource_group,
                  ...(r.subscription ? { subscription: r.subscription } : {}),
                },
              }
            : {}),
          onlyFailures: r.only_failures === 1,
          createdBy: r.created_by,
          createdAt: r.created_at,
        },
      ];
    });
  }
}

/** `<target>|all`, or `<target>|[<subscription>/]<rg>/<vault>` (the subscription when it was named). */
function idOf(target: string, vault: AlertSubscription['vault']): string {
  if (!vault) return `${target}|all`;
  const key = `${vault.resourceGroup}/${vault.vault}`;
  return `${target}|${(vault.subscription ? `${vault.subscription}/${key}` : key).toLowerCase()}`;
}
