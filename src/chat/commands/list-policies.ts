import { defineCommand } from '../command.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import { vaultTarget } from '../vault-target.js';
import { readListing } from '../phrases/listing-phrase.js';

export const listPoliciesCommand = defineCommand<{ vault?: string; subscription?: string }>({
  id: 'policies.list',
  title: 'List policies',
  summary: 'The VM backup policies of the vault, Enhanced and standard.',
  examples: ['policies', 'what backup policies are there?', 'list policies in vault rsv-westus'],
  role: 'reader',
  effect: 'read',
  keywords: ['policies', 'list policies'],
  usage: 'list policies',
  args: [{ name: 'vault', kind: 'vault', required: false, says: 'in vault <vault>' }, SUBSCRIPTION_ARG],
  parse(text) {
    const rest = readListing(text, String.raw`(?:backup\s+)?polic(?:y|ies)`);
    if (rest === undefined) return undefined;
    if (!rest) return {};
    const vault = /^in\s+(?:the\s+)?(?:vault\s+)?(\S+)$/i.exec(rest);
    return vault ? { vault: vault[1] } : undefined;
  },
  async execute({ vault, subscription }, ctx) {
    const policies = await ctx.service.listPolicies(vaultTarget(vault, subscription));
    return { kind: 'policies-listed', vaultName: vault ?? ctx.defaults.vaultName, policies };
  },
});
