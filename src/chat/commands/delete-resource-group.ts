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
  targetOf: ({ name }) => name,
  async describe({ name }, ctx) {
    const rg = await ctx.service.describeResourceGroup(name);
    const shown = rg.resources.slice(0, 10).map((r) => `${r.name} (${r.type})`);
    return {
      target: rg.name,
      confirmName: rg.name,
      consequences: [
        `Resource group ${rg.name} (${rg.location}) is deleted with everything in it: ${rg.resources.length} resource${rg.resources.length === 1 ? '' : 's'}.`,
        ...(shown.length
          ? [
              `${shown.join(', ')}${rg.resources.length > shown.length ? `, and ${rg.resources.length - shown.length} more` : ''}.`,
            ]
          : []),
        'This cannot be undone.',
      ],
    };
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
