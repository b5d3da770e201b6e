import { defineCommand } from '../command.js';
import { readListing } from '../phrases/listing-phrase.js';

export const listVaultsCommand = defineCommand<Record<string, never>>({
  id: 'vaults.list',
  title: 'List vaults',
  summary: 'The Recovery Services vaults of the subscription.',
  examples: ['vaults', 'which vaults do we have?'],
  role: 'reader',
  effect: 'read',
  keywords: ['vaults', 'list vaults'],
  usage: 'list vaults',
  args: [],
  parse(text) {
    return readListing(text, String.raw`(?:recovery\s+services\s+|backup\s+)?vaults?`) === ''
      ? {}
      : undefined;
  },
  async execute(_args, ctx) {
    const vaults = await ctx.service.listVaults();
    return { kind: 'vaults-listed', vaults, defaultVault: ctx.defaults.vaultName };
  },
});
