import { requiredField } from '../action-data.js';
import { defineCommand } from '../command.js';
import { toJobView } from '../job-view.js';

export const showJobCommand = defineCommand<{ id: string }>({
  id: 'job.show',
  title: 'Show a job',
  summary: 'One job with its two phases and the status the portal shows.',
  examples: ['job 3f2b7c1e-0d4a-4e8b-9c61-2a5d7e9f0b13'],
  role: 'reader',
  effect: 'read',
  keywords: ['job', 'show job'],
  parse(text) {
    const m =
      /^(?:(?:show|get|check|status\s+of)\s+)?(?:the\s+)?(?:backup\s+)?job\s+(?:id\s+)?(?!status\b)(\S+)$/i.exec(
        text,
      );
    return m ? { id: m[1]! } : undefined;
  },
  actions: { 'job.refresh': (d) => ({ id: requiredField(d, 'jobId') }) },
  async run({ id }, ctx) {
    const job = await ctx.service.getJob(id);
    return {
      view: toJobView(job, ctx.defaults, ctx.now()),
      ...(job.status === 'InProgress'
        ? {
            watch: {
              jobId: job.id,
              vaultName: job.vaultName,
              resourceGroup: ctx.defaults.vaultResourceGroup,
            },
          }
        : {}),
    };
  },
});
