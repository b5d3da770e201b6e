import { defineCommand } from '../command.js';
import type { VaultChoice } from '../phrases/vault-phrase.js';
import { parseVaultPhrase } from '../phrases/vault-phrase.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import { vaultTarget } from '../vault-target.js';

export const showPolicyCommand = defineCommand<{ name: string; vault?: VaultChoice; subscription?: string }>({
  id: 'policy.show',
  title: 'Show a policy',
  summary: "A policy's schedule and retention.",
  examples: ['policy EnhancedPolicy'],
  role: 'reader',
  effect: 'read',
  keywords: ['policy', 'show policy'],
  usage: 'policy <name>',
  args: [
    { name: 'name', kind: 'policy', required: true, says: '<name>' },
    { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' },
    SUBSCRIPTION_ARG,
  ],
  parse(full) {
    const { vault, rest: text } = parseVaultPhrase(full);
    const m = /^(?:(?:show|get|describe)\s+)?(?:the\s+)?(?:backup\s+)?policy\s+(?!for\b)(\S+)$/i.exec(text);
    return m ? { name: m[1]!, ...(vault ? { vault } : {}) } : undefined;
  },
  async execute({ name, vault, subscription }, ctx) {
    const policy = await ctx.service.getPolicy(name, vaultTarget(vault, subscription));
    return { kind: 'policy-read', vaultName: vault?.vault ?? ctx.defaults.vaultName, policy };
  },
});
