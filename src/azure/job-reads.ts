import type { BackupJob, JobFilter } from '../domain/index.js';
import { AppError, command } from '../domain/index.js';
import { translateAzureError } from './azure-error-translation.js';
import type { AzureScope } from './azure-scope.js';
import { IAAS_FILTER } from './azure-scope.js';
import { fromAzureJob, jobFilterTime } from './job-mapping.js';
import { vaultNotFound } from './protection-catalogue.js';

const JOB_ID = /^[A-Za-z0-9-]{1,100}$/;
/** Stop reading job pages after this many items: a chat answer never needs more. */
const MAX_JOBS_READ = 2_000;

type VaultName = { name: string; resourceGroup: string };

/** A vault's backup jobs: the filtered list (no task lists) and one job's details (with them). */
export class JobReads {
  constructor(private readonly s: AzureScope) {}

  async readJobs(filter: JobFilter, v: VaultName): Promise<BackupJob[]> {
    const parts = [IAAS_FILTER];
    if (filter.status) parts.push(`status eq '${filter.status}'`);
    if (filter.operation) parts.push(`operation eq '${filter.operation}'`);
    if (filter.since || filter.until) {
      parts.push(`startTime eq '${jobFilterTime(filter.since ?? new Date(0))}'`);
      // The filter has whole seconds: round the end up so a job started this second is included.
      const until = filter.until ?? this.s.now();
      parts.push(`endTime eq '${jobFilterTime(new Date(Math.ceil(until.getTime() / 1000) * 1000))}'`);
    }
    const limit = filter.limit ?? 50;
    const out: BackupJob[] = [];
    let read = 0;
    for await (const r of this.s.clients.backup.backupJobs.list(v.name, v.resourceGroup, {
      filter: parts.join(' and '),
    })) {
      if (++read > MAX_JOBS_READ) break;
      const job = fromAzureJob(r, v.name);
      if (!job || (filter.vmName && job.vmName.toLowerCase() !== filter.vmName.toLowerCase())) continue;
      out.push(job);
      if (out.length >= limit) break;
    }
    return out;
  }

  async readJob(id: string, v: VaultName): Promise<BackupJob> {
    assertJobId(id);
    try {
      const job = fromAzureJob(
        await this.s.clients.backup.jobDetails.get(v.name, v.resourceGroup, id),
        v.name,
      );
      if (job) return job;
    } catch (e) {
      const error = translateAzureError(e);
      if (error.statusCode !== 404) throw e;
      // A 404 for the vault (or its group) itself, not for the job in it.
      if (error.code === 'azure.ResourceNotFound' || error.code === 'azure.ResourceGroupNotFound')
        throw vaultNotFound(v);
    }
    throw new AppError('validation.job_not_found', `Vault ${v.name} has no job ${id}.`, {
      suggestions: [command('status of jobs')],
    });
  }
}

export function assertJobId(id: string): void {
  if (!JOB_ID.test(id)) {
    throw new AppError('validation.job_id', `"${id.slice(0, 60)}" is not a job id.`, {
      suggestions: [command('status of jobs')],
      details: { example: '2a4f3c1e-…' },
    });
  }
}
