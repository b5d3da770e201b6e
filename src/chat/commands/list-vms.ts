import { defineCommand } from '../command.js';

export const listVmsCommand = defineCommand<{ vault?: string }>({
  id: 'vms.list',
  title: 'List VMs',
  summary: 'Every VM of the subscription with its protection, and whether the vault can protect it.',
  examples: ['list vms', 'show vms in vault rsv-westus'],
  role: 'reader',
  effect: 'read',
  keywords: ['list vms', 'vms', 'show vms'],
  parse(text) {
    const m =
      /^(?:(?:list|show|get|display|which)\s+)?(?:all\s+|the\s+|my\s+|our\s+)*(?:vms?|virtual\s+machines?|machines|servers)(?:\s+(?:are\s+there|do\s+we\s+have))?(?:\s+in\s+(?:vault\s+)?(\S+))?$/i.exec(
        text,
      );
    return m ? { vault: m[1] } : undefined;
  },
  actions: { 'vms.list': () => ({}) },
  async run({ vault }, ctx) {
    const { vault: v, vms } = await ctx.service.listVms(vault ? { vault } : undefined);
    return { view: { kind: 'vm-list', vault: { name: v.name, location: v.location }, vms } };
  },
});
