import { defineCommand } from '../command.js';

export const listPoliciesCommand = defineCommand<{ vault?: string }>({
  id: 'policies.list',
  title: 'List policies',
  summary: 'The VM backup policies of the vault, Enhanced and standard.',
  examples: ['policies', 'list policies in vault rsv-westus'],
  role: 'reader',
  effect: 'read',
  keywords: ['policies', 'list policies'],
  parse(text) {
    const m =
      /^(?:(?:list|show|get)\s+)?(?:all\s+|the\s+|my\s+)?(?:backup\s+)?polic(?:y|ies)(?:\s+in\s+(?:vault\s+)?(\S+))?$/i.exec(
        text,
      );
    return m ? { vault: m[1] } : undefined;
  },
  async run({ vault }, ctx) {
    const policies = await ctx.service.listPolicies(vault ? { vault } : undefined);
    return { view: { kind: 'policy-list', vaultName: vault ?? ctx.defaults.vaultName, policies } };
  },
});
