import { parseAcrossPhrase } from '../across-phrase.js';
import { defineCommand } from '../command.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import { vaultTarget } from '../vault-target.js';
import { readListing } from '../phrases/listing-phrase.js';
import { VM_NOUNS } from '../phrases/vocabulary.js';

export const listVmsCommand = defineCommand<{ vault?: string; across?: boolean; subscription?: string }>({
  id: 'vms.list',
  title: 'List VMs',
  summary: 'Every VM of the subscription with its protection, and whether the vault can protect it.',
  examples: [
    'list vms',
    'what servers do we have?',
    'show vms in vault rsv-westus',
    'list vms across all vaults',
    'list vms in subscription "Contoso East"',
  ],
  role: 'reader',
  effect: 'read',
  keywords: ['list vms', 'vms', 'show vms'],
  usage: 'list vms',
  args: [{ name: 'vault', kind: 'vault', required: false, says: 'in vault <vault>' }, SUBSCRIPTION_ARG],
  parse(input) {
    const { across, rest: text } = parseAcrossPhrase(input);
    const rest = readListing(text, VM_NOUNS);
    if (rest === undefined) return undefined;
    if (!rest) return across ? { across } : {};
    const vault = /^in\s+(?:the\s+)?(?:vault\s+)?(\S+)$/i.exec(rest);
    // One vault and every vault at once is a contradiction, not a guess to make.
    return vault && !across ? { vault: vault[1] } : undefined;
  },
  async execute({ vault, across, subscription }, ctx) {
    if (across && !subscription) {
      const { vaults, vms } = await ctx.service.listVmsEverywhere();
      return { kind: 'vms-listed-everywhere', vaults, vms };
    }
    const { vault: v, vms } = await ctx.service.listVms(vaultTarget(vault, subscription));
    return { kind: 'vms-listed', vault: { name: v.name, location: v.location }, vms };
  },
});
