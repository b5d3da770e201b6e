import { parseAcrossPhrase } from '../across-phrase.js';
import { defineCommand } from '../command.js';

export const listVmsCommand = defineCommand<{ vault?: string; across?: boolean }>({
  id: 'vms.list',
  title: 'List VMs',
  summary: 'Every VM of the subscription with its protection, and whether the vault can protect it.',
  examples: ['list vms', 'show vms in vault rsv-westus', 'list vms across all vaults'],
  role: 'reader',
  effect: 'read',
  keywords: ['list vms', 'vms', 'show vms'],
  parse(input) {
    const { across, rest: text } = parseAcrossPhrase(input);
    const m =
      /^(?:(?:list|show|get|display|which)\s+)?(?:all\s+|the\s+|my\s+|our\s+)*(?:vms?|virtual\s+machines?|machines|servers)(?:\s+(?:are\s+there|do\s+we\s+have))?(?:\s+in\s+(?:vault\s+)?(\S+))?$/i.exec(
        text,
      );
    if (m && across && m[1]) return undefined;
    return m ? { vault: m[1], ...(across ? { across } : {}) } : undefined;
  },
  actions: { 'vms.list': () => ({}) },
  async run({ vault, across }, ctx) {
    if (across) {
      const { vaults, vms } = await ctx.service.listVmsEverywhere();
      const subscriptions = new Set(vaults.map((v) => v.subscriptionId.toLowerCase())).size;
      const where = `${vaults.length} vaults, ${subscriptions} subscription${subscriptions === 1 ? '' : 's'}`;
      return { view: { kind: 'vm-list', vault: { name: 'all vaults', location: where }, vms, across: true } };
    }
    const { vault: v, vms } = await ctx.service.listVms(vault ? { vault } : undefined);
    return { view: { kind: 'vm-list', vault: { name: v.name, location: v.location }, vms } };
  },
});
