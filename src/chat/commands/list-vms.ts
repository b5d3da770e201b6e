import { defineCommand } from '../command.js';
import { readListing } from '../phrases/listing-phrase.js';
import { VM_NOUNS } from '../phrases/vocabulary.js';

export const listVmsCommand = defineCommand<{ vault?: string }>({
  id: 'vms.list',
  title: 'List VMs',
  summary: 'Every VM of the subscription with its protection, and whether the vault can protect it.',
  examples: ['list vms', 'what servers do we have?', 'show vms in vault rsv-westus'],
  role: 'reader',
  effect: 'read',
  keywords: ['list vms', 'vms', 'show vms'],
  usage: 'list vms',
  args: [{ name: 'vault', kind: 'vault', required: false, says: 'in vault <vault>' }],
  parse(text) {
    const rest = readListing(text, VM_NOUNS);
    if (rest === undefined) return undefined;
    if (!rest) return {};
    const vault = /^in\s+(?:the\s+)?(?:vault\s+)?(\S+)$/i.exec(rest);
    return vault ? { vault: vault[1] } : undefined;
  },
  async run({ vault }, ctx) {
    const { vault: v, vms } = await ctx.service.listVms(vault ? { vault } : undefined);
    return { view: { kind: 'vm-list', vault: { name: v.name, location: v.location }, vms } };
  },
});
