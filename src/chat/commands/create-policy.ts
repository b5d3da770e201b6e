import { AppError } from '../../domain/index.js';
import { defineCommand } from '../command.js';
import type { VaultChoice } from '../phrases/vault-phrase.js';
import { parseVaultPhrase } from '../phrases/vault-phrase.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import { vaultTarget } from '../vault-target.js';
import { POLICY_EXAMPLE, parsePolicyPhrase } from '../phrases/policy-phrase.js';
import type { PolicySpec } from '../../domain/index.js';

export const createPolicyCommand = defineCommand<PolicySpec & { vault?: VaultChoice; subscription?: string }>(
  {
    id: 'policy.create',
    title: 'Create a policy',
    summary:
      'Creates a VM backup policy. Enhanced (the default; the only kind Extended Zones accept): hourly, daily or weekly. Standard: daily or weekly.',
    examples: [
      POLICY_EXAMPLE,
      'create policy nightly enhanced daily at 22:00 keep daily 30 days keep weekly 12 weeks',
      'create policy weekend standard weekly on sat, sun at 23:00 keep weekly 8 weeks',
    ],
    role: 'operator',
    effect: 'write',
    keywords: ['create policy', 'new policy'],
    usage: 'create policy <name> <schedule>',
    args: [
      { name: 'name', kind: 'name', required: true, says: '<name>' },
      {
        name: 'schedule',
        kind: 'policy-spec',
        required: true,
        says: 'enhanced | standard, hourly every <n>h from <time> for <n>h | daily at <time> | weekly on <days> at <time>',
      },
      {
        name: 'retention',
        kind: 'policy-spec',
        required: false,
        says: 'keep snapshots <n> days, keep [daily | weekly | monthly | yearly] <n> <unit>',
      },
      { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' },
      SUBSCRIPTION_ARG,
    ],
    parse(full) {
      const { vault, rest: text } = parseVaultPhrase(full);
      const m =
        /^(?:create|make|new|add|define)\s+(?:a\s+|an\s+)?(?:new\s+)?((?:enhanced|standard)\s+)?(?:backup\s+)?policy\b\s*(?:(?:called|named)\s+)?(\S+)?\s*(.*)$/i.exec(
          text,
        );
      if (!m) return undefined;
      if (!m[2])
        throw new AppError('validation.arguments', 'Give the policy a name and a schedule.', {
          hint: POLICY_EXAMPLE,
        });
      const spec = parsePolicyPhrase(m[2], `${m[1] ?? ''} ${m[3] ?? ''}`);
      return vault ? { ...spec, vault } : spec;
    },
    targetOf: (a) => a.name,
    async execute({ vault, subscription, ...spec }, ctx) {
      const policy = await ctx.service.createPolicy(spec, vaultTarget(vault, subscription));
      return { kind: 'policy-created', vaultName: vault?.vault ?? ctx.defaults.vaultName, policy };
    },
  },
);
