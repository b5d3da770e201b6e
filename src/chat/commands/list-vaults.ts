import { defineCommand } from '../command.js';

export const listVaultsCommand = defineCommand<Record<string, never>>({
  id: 'vaults.list',
  title: 'List vaults',
  summary: 'The Recovery Services vaults of the subscription.',
  examples: ['vaults'],
  role: 'reader',
  effect: 'read',
  keywords: ['vaults', 'list vaults'],
  parse(text) {
    return /^(?:(?:list|show|get)\s+)?(?:all\s+|the\s+|my\s+)?(?:recovery\s+services\s+)?vaults?$/i.test(text)
      ? {}
      : undefined;
  },
  async run(_args, ctx) {
    const vaults = await ctx.service.listVaults();
    return { view: { kind: 'vault-list', vaults, defaultVault: ctx.defaults.vaultName } };
  },
});
