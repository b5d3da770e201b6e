import { AppError } from '../../domain/index.js';
import { defineCommand } from '../command.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';

export const deleteResourceGroupCommand = defineCommand<{ name: string; subscription?: string }>({
  id: 'resourcegroup.delete',
  title: 'Delete a resource group',
  summary: 'Deletes a resource group and everything in it. Needs a second person’s approval.',
  examples: [
    'delete resource group rg-test',
    'delete resource group rg-apps-east in subscription "Contoso East"',
  ],
  role: 'operator',
  effect: 'destructive',
  keywords: ['delete resource group'],
  usage: 'delete resource group <name>',
  args: [{ name: 'name', kind: 'resource-group', required: true, says: '<name>' }, SUBSCRIPTION_ARG],
  parse(text) {
    const m = /^(?:delete|remove|destroy|drop)\s+(?:the\s+)?(?:resource\s*group|rg)\s+(\S+)$/i.exec(text);
    return m ? { name: m[1]! } : undefined;
  },
  targetOf: ({ name }) => name,
  async describe({ name, subscription }, ctx) {
    const rg = await ctx.service.describeResourceGroup(name, subscription);
    // ARM would delete the other resources and then fail on the vault: refuse before asking anyone.
    const blocked = rg.vaults.filter((v) => v.blockingItems.length > 0);
    if (blocked.length > 0) {
      const first = blocked[0]!;
      throw new AppError(
        'validation.resource_group_blocked',
        `Resource group ${rg.name} cannot be deleted yet: ${blocked.map((v) => `vault ${v.name} still holds backup data of ${v.blockingItems.join(', ')}`).join('; ')}. Azure would delete the group's other resources and then fail on the vault, leaving the group half-deleted.`,
        {
          hint: `First delete that backup data (${first.blockingItems.map((vm) => `"stop backup for ${vm} and delete data"`).join(', ')}), then ask again.`,
          details: { blockingVaults: blocked.map((v) => v.name) },
        },
      );
    }
    const softDeleted = rg.vaults.filter((v) => v.softDeletedItems.length > 0);
    const shown = rg.resources.slice(0, 10).map((r) => `${r.name} (${r.type})`);
    return {
      target: rg.name,
      confirmName: rg.name,
      // The resources by type and name: one that joins the group after the request is not approved.
      plan: rg.resources.map((r) => `${r.type}/${r.name}`).sort(),
      consequences: [
        `Resource group ${rg.name} (${rg.location}) is deleted with everything in it: ${rg.resources.length} resource${rg.resources.length === 1 ? '' : 's'}.`,
        ...(shown.length
          ? [
              `${shown.join(', ')}${rg.resources.length > shown.length ? `, and ${rg.resources.length - shown.length} more` : ''}.`,
            ]
          : []),
        ...softDeleted.map(
          (v) =>
            `Vault ${v.name} goes with its soft-deleted backup data (${v.softDeletedItems.join(', ')}): Azure keeps it as a deleted vault until that data is purged${v.softDeletedUntil ? ` (${v.softDeletedUntil.slice(0, 10)})` : ''}.`,
        ),
        'This cannot be undone.',
      ],
    };
  },
  async execute({ name, subscription }, ctx) {
    await ctx.service.deleteResourceGroup(name, ctx.operations, subscription);
    return { kind: 'resource-group-deleted', name };
  },
});
