import { parseAcrossPhrase } from '../across-phrase.js';
import { defineCommand } from '../command.js';
import { readListing } from '../phrases/listing-phrase.js';
import { VM_NOUNS } from '../phrases/vocabulary.js';

export const listVmsCommand = defineCommand<{ vault?: string; across?: boolean }>({
  id: 'vms.list',
  title: 'List VMs',
  summary: 'Every VM of the subscription with its protection, and whether the vault can protect it.',
  examples: [
    'list vms',
    'what servers do we have?',
    'show vms in vault rsv-westus',
    'list vms across all vaults',
  ],
  role: 'reader',
  effect: 'read',
  keywords: ['list vms', 'vms', 'show vms'],
  usage: 'list vms',
  args: [{ name: 'vault', kind: 'vault', required: false, says: 'in vault <vault>' }],
  parse(input) {
    const { across, rest: text } = parseAcrossPhrase(input);
    const rest = readListing(text, VM_NOUNS);
    if (rest === undefined) return undefined;
    if (!rest) return across ? { across } : {};
    const vault = /^in\s+(?:the\s+)?(?:vault\s+)?(\S+)$/i.exec(rest);
    // One vault and every vault at once is a contradiction, not a guess to make.
    return vault && !across ? { vault: vault[1] } : undefined;
  },
  async execute({ vault, across }, ctx) {
    if (across) {
      const { vaults, vms } = await ctx.service.listVmsEverywhere();
      return { kind: 'vms-listed-everywhere', vaults, vms };
    }
    const { vault: v, vms } = await ctx.service.listVms(vault ? { vault } : undefined);
    return { kind: 'vms-listed', vault: { name: v.name, location: v.location }, vms };
  },
});
