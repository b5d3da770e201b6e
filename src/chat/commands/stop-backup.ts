import type { Vault } from '../../domain/index.js';
import { AppError } from '../../domain/index.js';
import { defineCommand } from '../command.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import type { VaultChoice } from '../phrases/vault-phrase.js';
import { parseVaultPhrase } from '../phrases/vault-phrase.js';
import { vaultTarget } from '../vault-target.js';

const STOP =
  /^(?:(?:stop|disable|turn\s+off|switch\s+off|pause|end|remove)\s+(?:the\s+)?(?:backups?|protection)|stop\s+(?:protecting|backing\s+up))\b\s*(.*)$/i;
const DELETE_DATA =
  /(?:\s*(?:\band\b|&|,))?\s*(?:also\s+)?(?:delete|remove|purge|wipe|drop)\s+(?:all\s+)?(?:the\s+|its\s+)?(?:backup\s+)?(?:data|recovery\s+points|backups)\b/i;
const EXAMPLE = 'stop backup for myVM';
/** "… confirm": the second step of stopping backup (operators confirm; no approval needed). */
const CONFIRMED = /\s*[,.]?\s*\b(?:confirm|confirmed|yes)\s*$/i;

/** Reads "stop backup for myVM [and delete data]" and "delete backup data of myVM". */
export function parseStopBackup(
  text: string,
): { vm: string; deleteData: boolean; confirmed: boolean } | undefined {
  const direct =
    /^(?:delete|remove|purge|wipe)\s+(?:all\s+)?(?:the\s+)?backup\s+data\s+(?:for|of|on)\s+(?:vm\s+)?(\S+)$/i.exec(
      text,
    );
  if (direct) return { vm: direct[1]!, deleteData: true, confirmed: false };
  const m = STOP.exec(text);
  if (!m) return undefined;
  let rest = m[1]!;
  const confirmed = CONFIRMED.test(rest);
  rest = rest.replace(CONFIRMED, '');
  const deleteData = DELETE_DATA.test(rest);
  rest = rest
    .replace(DELETE_DATA, ' ')
    .replace(/\b(?:but\s+)?(?:keep|retain)(?:ing)?\s+(?:the\s+)?(?:backup\s+)?data\b/i, ' ')
    .trim();
  const vm = /^(?:(?:for|of|on)\s+)?(?:vm\s+)?(\S+)$/i.exec(rest);
  if (!vm)
    throw new AppError('validation.arguments', 'Which VM should I stop backing up?', { hint: EXAMPLE });
  return { vm: vm[1]!, deleteData, confirmed };
}

export const stopBackupCommand = defineCommand<{
  vm: string;
  confirmed: boolean;
  vault?: VaultChoice;
  subscription?: string;
}>({
  id: 'backup.stop',
  title: 'Stop backup (keep data)',
  summary: 'Stops scheduled backups of a VM and keeps its recovery points, after you confirm.',
  examples: [EXAMPLE, `${EXAMPLE} confirm`],
  role: 'operator',
  effect: 'write',
  keywords: ['stop backup', 'disable backup'],
  usage: 'stop backup for <vm>',
  args: [
    { name: 'vm', kind: 'vm', required: true, says: '<vm>' },
    { name: 'confirmed', kind: 'topic', required: false, says: 'confirm' },
    { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' },
    SUBSCRIPTION_ARG,
  ],
  parse(full) {
    const { vault, rest } = parseVaultPhrase(full);
    const r = parseStopBackup(rest);
    return r && !r.deleteData ? { vm: r.vm, confirmed: r.confirmed, ...(vault ? { vault } : {}) } : undefined;
  },
  targetOf: ({ vm }) => vm,
  async execute({ vm, confirmed, vault, subscription }, ctx) {
    const target = vaultTarget(vault, subscription);
    if (!confirmed) {
      const status = await ctx.service.getVm(vm, target);
      return { kind: 'stop-backup-unconfirmed', vm: status, ...(target ? { target } : {}) };
    }
    const result = await ctx.service.stopProtection({ vm, deleteData: false, ...target });
    return { kind: 'backup-stopped', vaultName: vault?.vault ?? ctx.defaults.vaultName, result };
  },
});

/** What soft delete will keep, as the vault says it is set. */
function softDeleteWords(vm: string, softDelete: Vault['softDelete'], now: Date): string {
  if (!softDelete) {
    return `If soft delete is on for the vault (the default), the deleted data is kept 14 more days and can be undeleted until then ("enable backup for ${vm}").`;
  }
  if (!softDelete.enabled) return 'Soft delete is off for this vault: the data is gone for good.';
  const until = new Date(now.getTime() + softDelete.retentionDays * 86_400_000).toISOString().slice(0, 10);
  return `Soft delete keeps the deleted data until ${until} (${softDelete.retentionDays} days); it can be undeleted until then ("enable backup for ${vm}" undeletes it and protects the VM again).`;
}

export const deleteBackupDataCommand = defineCommand<{
  vm: string;
  vault?: VaultChoice;
  subscription?: string;
}>({
  id: 'backup.delete-data',
  title: 'Stop backup and delete data',
  summary:
    'Stops backups of a VM and deletes its recovery points (soft delete keeps them 14 more days). Needs a second person’s approval.',
  examples: ['stop backup for myVM and delete data'],
  role: 'operator',
  effect: 'destructive',
  keywords: ['stop backup and delete data', 'delete backup data'],
  usage: 'stop backup for <vm> and delete data',
  args: [
    { name: 'vm', kind: 'vm', required: true, says: '<vm>' },
    { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' },
    SUBSCRIPTION_ARG,
  ],
  parse(full) {
    const { vault, rest } = parseVaultPhrase(full);
    const r = parseStopBackup(rest);
    return r?.deleteData ? { vm: r.vm, ...(vault ? { vault } : {}) } : undefined;
  },
  targetOf: ({ vm }) => vm,
  async describe({ vm, vault, subscription }, ctx) {
    const target = vaultTarget(vault, subscription);
    const status = await ctx.service.getVm(vm, target);
    const deleted = status.protection.softDeleted;
    if (deleted) {
      throw new AppError(
        'validation.already_deleted',
        `The backup data of ${status.name} is already deleted${deleted.purgeAt ? `; soft delete keeps it until ${deleted.purgeAt.slice(0, 10)}` : ''}.`,
        {
          hint: `To protect ${status.name} again (its data undeleted first): enable backup for ${status.name}`,
        },
      );
    }
    const [points, vaultRead] = await Promise.all([
      ctx.service.listRecoveryPoints(status.name, target).catch(() => undefined),
      ctx.service.getVault(target).catch(() => undefined),
    ]);
    return {
      target: status.name,
      confirmName: status.name,
      // The VM by its resource id: another VM behind the name is not what was approved. More
      // recovery points since the request are fine.
      plan: [status.id],
      consequences: [
        `Backup of ${status.name} stops and its backup data in vault ${vaultRead?.name ?? vault?.vault ?? ctx.defaults.vaultName} is deleted${points ? `: ${points.length} recovery point${points.length === 1 ? '' : 's'}` : ''}.`,
        softDeleteWords(status.name, vaultRead?.softDelete, ctx.now()),
        `Nothing protects ${status.name} until backup is enabled again.`,
      ],
    };
  },
  async execute({ vm, vault, subscription }, ctx) {
    const target = vaultTarget(vault, subscription);
    const result = await ctx.service.stopProtection({ vm, deleteData: true, ...target }, ctx.operations);
    return { kind: 'backup-stopped', vaultName: vault?.vault ?? ctx.defaults.vaultName, result };
  },
});
