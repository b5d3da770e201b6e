import { AppError } from '../../domain/index.js';
import { defineCommand } from '../command.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';

const EXAMPLE = 'create vault rsv-prod in westus';

export const createVaultCommand = defineCommand<{
  name: string;
  location: string;
  resourceGroup?: string;
  subscription?: string;
}>({
  id: 'vault.create',
  title: 'Create a vault',
  summary:
    'Creates a Recovery Services vault in a region (never in an Extended Zone: use its parent region).',
  examples: [
    EXAMPLE,
    'create vault rsv-la in westus in resource group rg-backup',
    'create vault rsv-east2 in eastus in subscription "Contoso East"',
  ],
  role: 'operator',
  effect: 'write',
  keywords: ['create vault', 'new vault'],
  usage: 'create vault <name> in <region>',
  args: [
    { name: 'name', kind: 'name', required: true, says: '<name>' },
    { name: 'location', kind: 'region', required: true, says: '<region>' },
    { name: 'resourceGroup', kind: 'resource-group', required: false, says: 'in resource group <rg>' },
    SUBSCRIPTION_ARG,
  ],
  parse(text) {
    const m =
      /^(?:create|make|new|add|set\s+up)\s+(?:a\s+)?(?:new\s+)?(?:recovery\s+services\s+)?vault\b\s*(.*)$/i.exec(
        text,
      );
    if (!m) return undefined;
    let rest = m[1]!;
    let resourceGroup: string | undefined;
    const rg = /\s*\b(?:in|using)\s+(?:resource\s+group|rg)\s+(\S+)\s*/i.exec(rest);
    if (rg) {
      resourceGroup = rg[1];
      rest = `${rest.slice(0, rg.index)} ${rest.slice(rg.index + rg[0].length)}`.trim();
    }
    const parts =
      /^(?:(?:called|named)\s+)?(\S+)\s+(?:(?:in|at|location|region)\s+)?(?:the\s+)?(?:region\s+)?(.+?)(?:\s+region)?$/i.exec(
        rest,
      );
    if (!parts) {
      throw new AppError('validation.arguments', 'Tell me the vault name and its region.', { hint: EXAMPLE });
    }
    return { name: parts[1]!, location: parts[2]!, resourceGroup };
  },
  targetOf: (a) => a.name,
  async execute(args, ctx) {
    const { vault, created } = await ctx.service.createVault(args);
    return { kind: 'vault-created', vault, created };
  },
});
