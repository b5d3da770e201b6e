import type { JobFilter } from '../../domain/index.js';
import { parseAcrossPhrase } from '../across-phrase.js';
import { defineCommand } from '../command.js';
import { parseJobFilter } from '../phrases/job-filter-phrase.js';

export const listJobsCommand = defineCommand<{ filter: JobFilter; description: string; across?: boolean }>({
  id: 'jobs.list',
  title: 'Job status',
  summary: 'Recent backup jobs with the portal’s status, filtered by VM, status or time.',
  examples: [
    'status of jobs',
    'failed jobs for myVM',
    'jobs in progress',
    'status of jobs last 24h',
    'status of jobs across all vaults',
  ],
  role: 'reader',
  effect: 'read',
  keywords: ['status of jobs', 'jobs', 'job status'],
  parse(input, now) {
    const { across, rest: text } = parseAcrossPhrase(input);
    const isJobs =
      /\bjobs\b|\bjob\s+(?:status|list|history)\b|\bstatus\s+of\s+(?:the\s+|my\s+)?(?:backup\s+)?job\b/i.test(
        text,
      ) ||
      /^(?:(?:any|show|list|which)\s+)?(?:failed|failing|running|in[\s-]progress|completed|finished)\s+backups?\b/i.test(
        text,
      );
    if (!isJobs) return undefined;
    const parsed = parseJobFilter(text, now);
    return across ? { ...parsed, across } : parsed;
  },
  actions: { 'jobs.list': (d) => parseJobFilter(d.filter ?? '', new Date()) },
  async run({ filter, description, across }, ctx) {
    const now = ctx.now();
    const jobs = across
      ? await ctx.service.listJobsEverywhere({ limit: 25, ...filter })
      : await ctx.service.listJobs({ limit: 25, ...filter });
    return {
      view: {
        kind: 'job-list',
        vaultName: across ? 'all vaults' : ctx.defaults.vaultName,
        description,
        jobs,
        asOf: now.toISOString(),
      },
    };
  },
});
