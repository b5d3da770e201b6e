import { defineCommand } from '../command.js';

export const deleteResourceGroupCommand = defineCommand<{ name: string }>({
  id: 'resourcegroup.delete',
  title: 'Delete a resource group',
  summary: 'Deletes a resource group and everything in it. Needs a second person’s approval.',
  examples: ['delete resource group rg-test'],
  role: 'operator',
  effect: 'destructive',
  keywords: ['delete resource group'],
  parse(text) {
    const m = /^(?:delete|remove|destroy|drop)\s+(?:the\s+)?(?:resource\s*group|rg)\s+(\S+)$/i.exec(text);
    return m ? { name: m[1]! } : undefined;
  },
  async run({ name }, ctx) {
    await ctx.service.deleteResourceGroup(name);
    return {
      view: {
        kind: 'message',
        tone: 'success',
        title: 'Resource group deleted',
        text: `Resource group ${name} was deleted.`,
      },
    };
  },
});
