import type { BackupJob, ExpectedConsistency, RetainRequest } from '../../domain/index.js';
import type { CommandOutcome } from '../command-outcome.js';
import type { CommandContext } from '../command.js';
import type { VaultTarget } from '../../azure/backup-service.js';
import { AppError } from '../../domain/index.js';
import { requiredField } from '../action-data.js';
import { defineCommand } from '../command.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import { vaultTarget } from '../vault-target.js';
import { parseRetention } from '../phrases/retention-phrase.js';
import type { VaultChoice } from '../phrases/vault-phrase.js';
import { parseVaultPhrase } from '../phrases/vault-phrase.js';
import { VM_NOUNS } from '../phrases/vocabulary.js';

const EXAMPLE = 'backup myVM now keep until 2026-12-31';
/** Words around the VM's name that are not the name: "backup the server myVM right now". */
const FILLER_WORDS = new RegExp(
  String.raw`\b(?:now|right\s+now|immediately|asap|straight\s+away|the|please|and|it|a|an|${VM_NOUNS})(?=\s|$)`,
  'gi',
);
/** Azure's job start times and ours may differ by this much. */
const CLOCK_SKEW_MS = 60_000;

export const backupNowCommand = defineCommand<{
  vm: string;
  retain?: RetainRequest;
  vault?: VaultChoice;
  subscription?: string;
}>({
  id: 'backup.now',
  title: 'Back up now',
  summary:
    'Starts an on-demand backup and keeps its card up to date through Take Snapshot and Transfer data to vault. Kept 30 days unless you say otherwise.',
  examples: [
    'backup myVM now',
    EXAMPLE,
    'back up myVM for 2 weeks',
    'backup db-eastus-01 now in vault rsv-eastus',
    'backup vm-east-1 now in vault rsv-eastus of subscription "Contoso East"',
  ],
  role: 'operator',
  effect: 'write',
  keywords: ['backup', 'back up', 'take a backup of'],
  usage: 'backup <vm> now',
  args: [
    { name: 'vm', kind: 'vm', required: true, says: '<vm>' },
    { name: 'retain', kind: 'retention', required: false, says: 'keep until <date> | for <n> days' },
    { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' },
    SUBSCRIPTION_ARG,
  ],
  parse(text) {
    const m =
      /^(?:(?:take|make|run|start|do|trigger|kick\s+off|create)\s+(?:an?\s+)?(?:quick\s+|manual\s+|fresh\s+)?(?:on[\s-]?demand\s+|new\s+|adhoc\s+|ad[\s-]hoc\s+)?(?:backup|snapshot)\s+(?:of|for|on)|back\s*up|backup|snapshot)(?:\s+now)?\b\s*(.*)$/i.exec(
        text,
      );
    if (!m) return undefined;
    const inVault = parseVaultPhrase(m[1]!);
    const { retain, rest } = parseRetention(inVault.rest.replace(/^(?:for|of|on)\s+/i, ''));
    const words = rest.replace(FILLER_WORDS, ' ').trim().split(/\s+/).filter(Boolean);
    // "backup jobs", "backup status" and "backup policies" are other commands.
    if (words.length === 1 && /^(jobs?|status|polic(y|ies)|data|vaults?|help)$/i.test(words[0]!))
      return undefined;
    if (words.length === 0)
      throw new AppError('validation.arguments', 'Which VM should I back up?', { hint: EXAMPLE });
    if (words.length > 1) {
      throw new AppError(
        'validation.arguments',
        `I could not tell which VM to back up from "${rest.slice(0, 80)}".`,
        {
          hint: EXAMPLE,
        },
      );
    }
    return {
      vm: words[0]!,
      ...(retain ? { retain } : {}),
      ...(inVault.vault ? { vault: inVault.vault } : {}),
    };
  },
  actions: { 'backup.now': (d) => ({ vm: requiredField(d, 'vm') }) },
  targetOf: (a) => a.vm,
  async execute({ vm, retain, vault, subscription }, ctx) {
    const target = vaultTarget(vault, subscription);
    const r = await ctx.service.backupNow({ vm, ...(retain ? { retain } : {}), ...target });
    return started(r.job, ctx, target, { retainUntil: r.retainUntil, consistency: r.consistency });
  },
  async recover({ vm, vault: choice, subscription }, ctx, since) {
    const vault = vaultTarget(choice, subscription);
    // The newest backup of this VM started since the command was: the one it triggered, or a
    // scheduled one that Azure ran instead (it runs one backup of a VM at a time).
    const jobs = await ctx.service.listJobs(
      { vmName: vm, operation: 'Backup', since: new Date(since.getTime() - CLOCK_SKEW_MS), limit: 10 },
      vault,
    );
    // Newest first by start time: the list's own order is not promised.
    const [job] = jobs.sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? ''));
    // The list has no phases; the job's details do.
    return job ? started(await ctx.service.getJob(job.id, vault), ctx, vault) : undefined;
  },
});

/** The backup job started, in the vault's resource group (the one named, the job's, or the default). */
function started(
  job: BackupJob,
  ctx: CommandContext,
  vault: VaultTarget | undefined,
  extras: { retainUntil?: string; consistency?: ExpectedConsistency } = {},
): CommandOutcome {
  const resourceGroup = vault?.resourceGroup ?? job.vaultResourceGroup ?? ctx.defaults.vaultResourceGroup;
  return { kind: 'job-started', job, resourceGroup, ...extras };
}
