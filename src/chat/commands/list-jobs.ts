import type { JobFilter } from '../../domain/index.js';
import { parseAcrossPhrase } from '../across-phrase.js';
import { defineCommand } from '../command.js';
import { parseJobFilter } from '../phrases/job-filter-phrase.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import type { VaultChoice } from '../phrases/vault-phrase.js';
import { parseVaultPhrase } from '../phrases/vault-phrase.js';
import { vaultTarget } from '../vault-target.js';
import { JOB_NOUNS, LIST_VERBS } from '../phrases/vocabulary.js';

/** "jobs", "backup runs", "status of the job", "failed backups", "recent backups". */
const JOBS = new RegExp(
  String.raw`\b${JOB_NOUNS}\b|\bstatus\s+of\s+(?:the\s+|my\s+|our\s+)?(?:backup\s+)?(?:job|backups)\b|^(?:${LIST_VERBS}\s+)?(?:any\s+|the\s+|all\s+)?(?:failed|failing|running|in[\s-]progress|completed|finished|recent|latest|last|today's|yesterday's)\s+backups?\b`,
  'i',
);
/** "what is running", "anything running?", "did any backups fail last night", "what failed today". */
const JOB_QUESTION =
  /^(?:what|which\s+(?:backups?|ones?)|anything|is\s+anything|are\s+(?:any\s+)?(?:backups?|jobs?)|any\s+(?:backups?|jobs?)|what\s+(?:backups?|jobs?))\s+(?:is\s+|are\s+)?(?:still\s+|currently\s+)?(?:running|in\s+progress|going\s+on|happening|failed|failing|broke|broken)\b|^how\s+(?:are|did|were)\s+(?:the\s+|my\s+|our\s+|last\s+night's\s+)?(?:backups|jobs|runs)\b|^(?:did|has|have)\s+(?:any(?:thing|\s+backups?|\s+jobs?)?|a\s+backup|the\s+backups?|backups?)\s+(?:fail|failed|break|broken)\b/i;

export const listJobsCommand = defineCommand<{
  filter: JobFilter;
  description: string;
  across?: boolean;
  vault?: VaultChoice;
  subscription?: string;
}>({
  id: 'jobs.list',
  title: 'Job status',
  summary: 'Recent backup jobs with the portal’s status, filtered by VM, status or time.',
  examples: [
    'status of jobs',
    'failed jobs for myVM',
    "what's running?",
    'did any backups fail last night?',
    'status of jobs last 24h',
    'status of jobs across all vaults',
    'status of jobs in vault rsv-eastus in subscription "Contoso East"',
  ],
  role: 'reader',
  effect: 'read',
  keywords: ['status of jobs', 'jobs', 'job status'],
  usage: 'status of jobs',
  args: [
    { name: 'vm', kind: 'vm', required: false, says: 'for <vm>' },
    {
      name: 'status',
      kind: 'job-filter',
      required: false,
      says: 'failed | in progress | completed | with warnings',
    },
    {
      name: 'window',
      kind: 'job-filter',
      required: false,
      says: 'last <n> hours | days | today | yesterday',
    },
    { name: 'operation', kind: 'job-filter', required: false, says: 'configure | restore | delete' },
    { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' },
    SUBSCRIPTION_ARG,
  ],
  parse(input, now) {
    const { across, rest: afterAcross } = parseAcrossPhrase(input);
    const { vault, rest: text } = parseVaultPhrase(afterAcross);
    if (!JOBS.test(text) && !JOB_QUESTION.test(text)) return undefined;
    // One vault and every vault at once is a contradiction, not a guess to make.
    if (across && vault) return undefined;
    const parsed = parseJobFilter(text, now);
    return { ...parsed, ...(across ? { across } : {}), ...(vault ? { vault } : {}) };
  },
  async execute({ filter, description, across, vault, subscription }, ctx) {
    const target = vaultTarget(vault, subscription);
    const jobs = across
      ? await ctx.service.listJobsEverywhere({ limit: 25, ...filter })
      : await ctx.service.listJobs({ limit: 25, ...filter }, target);
    return {
      kind: 'jobs-listed',
      vaultName: across ? 'all vaults' : (vault?.vault ?? jobs[0]?.vaultName ?? ctx.defaults.vaultName),
      description,
      jobs,
    };
  },
});
