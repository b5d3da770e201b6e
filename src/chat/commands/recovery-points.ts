import { defineCommand } from '../command.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import type { VaultChoice } from '../phrases/vault-phrase.js';
import { parseVaultPhrase } from '../phrases/vault-phrase.js';
import { vaultTarget } from '../vault-target.js';
import { readListing } from '../phrases/listing-phrase.js';
import { VM_NOUNS } from '../phrases/vocabulary.js';

const VM_AFTER_NOUN = new RegExp(
  String.raw`^(?:(?:for|of|on)\s+)?(?:(?:the\s+)?${VM_NOUNS}\s+)?([A-Za-z0-9][\w./-]*)$`,
  'i',
);
/** "… does myVM have", "… are there for myVM". */
const VM_QUESTION =
  /^(?:does|do|did)\s+(\S+)\s+have$|^(?:are\s+there|exist|do\s+we\s+have)\s+(?:for|of|on)\s+(?:vm\s+)?(\S+)$/i;

export const recoveryPointsCommand = defineCommand<{
  vm: string;
  vault?: VaultChoice;
  subscription?: string;
}>({
  id: 'recoverypoints.list',
  title: 'Recovery points',
  summary: 'The restore points a VM has in the vault, newest first.',
  examples: ['recovery points for myVM', 'what restore points does myVM have?'],
  role: 'reader',
  effect: 'read',
  keywords: ['recovery points', 'restore points'],
  usage: 'recovery points for <vm>',
  args: [
    { name: 'vm', kind: 'vm', required: true, says: '<vm>' },
    { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' },
    SUBSCRIPTION_ARG,
  ],
  parse(full) {
    const { vault, rest: text } = parseVaultPhrase(full);
    const rest = readListing(text, String.raw`(?:recovery|restore|backup)\s*points?`);
    if (!rest) return undefined;
    const m = VM_QUESTION.exec(rest) ?? VM_AFTER_NOUN.exec(rest);
    const vm = m?.[1] ?? m?.[2];
    return vm ? { vm, ...(vault ? { vault } : {}) } : undefined;
  },
  targetOf: (a) => a.vm,
  async execute({ vm, vault, subscription }, ctx) {
    const points = await ctx.service.listRecoveryPoints(vm, vaultTarget(vault, subscription));
    const vaultName = vault?.vault ?? ctx.defaults.vaultName;
    return { kind: 'recovery-points-listed', vmName: vm, vaultName, points };
  },
});
