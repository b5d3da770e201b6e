import { AppError } from '../../domain/index.js';
import { requiredField } from '../action-data.js';
import { defineCommand } from '../command.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import type { VaultChoice } from '../phrases/vault-phrase.js';
import { parseVaultPhrase } from '../phrases/vault-phrase.js';
import { vaultTarget } from '../vault-target.js';

const EXAMPLE = 'enable backup for myVM with policy EnhancedPolicy';

export const enableBackupCommand = defineCommand<{
  vm: string;
  policy?: string;
  vault?: VaultChoice;
  subscription?: string;
}>({
  id: 'backup.enable',
  title: 'Enable backup',
  summary:
    "Protects a VM of the vault's region with a policy (Extended Zone VMs need an Enhanced one). The first backup follows the schedule.",
  examples: ['enable backup for web-linux-01', EXAMPLE, 'protect ez-linux-01'],
  role: 'operator',
  effect: 'write',
  keywords: ['enable backup', 'protect', 'configure backup'],
  usage: 'enable backup for <vm>',
  args: [
    { name: 'vm', kind: 'vm', required: true, says: '<vm>' },
    { name: 'policy', kind: 'policy', required: false, says: 'with policy <policy>' },
    { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' },
    SUBSCRIPTION_ARG,
  ],
  parse(full) {
    const { vault, rest: text } = parseVaultPhrase(full);
    const m =
      /^(?:enable|configure|turn\s+on|start|set\s+up|activate|switch\s+on)\s+(?:the\s+)?(?:backups?|protection)\b\s*(.*)$|^(?:start\s+)?(?:protect|protecting)\b\s*(.*)$/i.exec(
        text,
      );
    if (!m) return undefined;
    const rest = (m[1] ?? m[2] ?? '').trim();
    const p =
      /^(?:(?:for|on|of)\s+)?(?:the\s+)?(?:vm\s+|server\s+|machine\s+)?(\S+)(?:\s+(?:with|using|under|on)\s+(?:the\s+)?(?:policy\s+)?(\S+)(?:\s+policy)?)?$/i.exec(
        rest,
      );
    if (!p) throw new AppError('validation.arguments', 'Which VM should I protect?', { hint: EXAMPLE });
    // "configure backup jobs" asks for jobs, not for a VM called "jobs".
    if (/^jobs?$/i.test(p[1]!)) return undefined;
    return { vm: p[1]!, policy: p[2], ...(vault ? { vault } : {}) };
  },
  actions: { 'backup.enable': (d) => ({ vm: requiredField(d, 'vm') }) },
  targetOf: (a) => a.vm,
  async execute({ vm, policy, vault, subscription }, ctx) {
    const result = await ctx.service.enableProtection({
      vm,
      ...(policy ? { policy } : {}),
      ...vaultTarget(vault, subscription),
    });
    return { kind: 'backup-enabled', vaultName: vault?.vault ?? ctx.defaults.vaultName, result };
  },
});
