import { assertName } from '../../domain/index.js';
import { optionalField, requiredField } from '../action-data.js';
import { defineCommand } from '../command.js';
import type { VaultChoice } from '../phrases/vault-phrase.js';
import { parseVaultPhrase } from '../phrases/vault-phrase.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import { vaultTarget } from '../vault-target.js';
import { subscriptionField } from '../action-data.js';

export const showJobCommand = defineCommand<{ id: string; vault?: VaultChoice; subscription?: string }>({
  id: 'job.show',
  title: 'Show a job',
  summary: 'One job with its two phases and the status the portal shows.',
  examples: [
    'job 3f2b7c1e-0d4a-4e8b-9c61-2a5d7e9f0b13',
    'job 3f2b7c1e-0d4a-4e8b-9c61-2a5d7e9f0b13 in vault rsv-eastus',
    'job 3f2b7c1e-0d4a-4e8b-9c61-2a5d7e9f0b13 in vault rsv-eastus of subscription "Contoso East"',
  ],
  role: 'reader',
  effect: 'read',
  keywords: ['job', 'show job'],
  usage: 'job <id>',
  args: [
    { name: 'id', kind: 'job-id', required: true, says: '<id>' },
    { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' },
    SUBSCRIPTION_ARG,
  ],
  parse(full) {
    const { vault, rest: text } = parseVaultPhrase(full);
    const m =
      /^(?:(?:show|get|check|open|view|track|follow|watch)\s+)?(?:(?:what|how)\s+is\s+)?(?:the\s+)?(?:(?:status|details|progress)\s+(?:of|for|on)\s+)?(?:the\s+)?(?:backup\s+|restore\s+)?job\s+(?:id\s+|number\s+|#)?(?!status\b)([\w-]+)(?:\s+(?:doing|going|status|details))?$/i.exec(
        text,
      );
    return m ? { id: m[1]!, ...(vault ? { vault } : {}) } : undefined;
  },
  actions: {
    // The job's buttons name its vault and subscription, which may not be the default ones (a job
    // of an "across all vaults" list); both are checked here, at the boundary, like typed names.
    'job.refresh': (d) => {
      const vault = optionalField(d, 'vault');
      const resourceGroup = optionalField(d, 'resourceGroup');
      const subscription = subscriptionField(d);
      return {
        id: requiredField(d, 'jobId'),
        ...(vault
          ? {
              vault: {
                vault: assertName('vault', vault),
                ...(resourceGroup ? { resourceGroup: assertName('resourceGroup', resourceGroup) } : {}),
              },
            }
          : {}),
        ...(subscription ? { subscription } : {}),
      };
    },
  },
  async execute({ id, vault, subscription }, ctx) {
    const job = await ctx.service.getJob(id, vaultTarget(vault, subscription));
    const resourceGroup = vault?.resourceGroup ?? job.vaultResourceGroup ?? ctx.defaults.vaultResourceGroup;
    return { kind: 'job-read', job, resourceGroup };
  },
});
