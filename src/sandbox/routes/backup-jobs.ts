import { formatIsoDuration, isJobStatus } from '../../domain/index.js';
import { badRequest, notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxJob, SandboxTask, SandboxVault } from '../world.js';
import { requireVault } from './lookups.js';

/**
 * Jobs: a filtered, paged list whose items carry no task list, and details with both phases
 * (BackupJobs_List*.json and JobDetails_Get_IaasVM_tasksList.json).
 */
export function addJobRoutes(router: ArmRouter, ctx: SandboxContext): void {
  router.add('GET', `${VAULT}/backupJobs`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    ctx.engine.catchUp();
    const filter = parseFilter(req.url.searchParams.get('$filter'));
    const matching = ctx.world.jobs
      .filter((j) => j.vaultKey === key && filter(j, ctx.engine.statusOf(j)))
      .sort((a, b) => b.startMs - a.startMs);
    const skip =
      Number(req.url.searchParams.get('$skiptoken') ?? req.url.searchParams.get('$skipToken') ?? '0') || 0;
    const page = matching.slice(skip, skip + ctx.jobPageSize);
    let nextLink: string | undefined;
    if (skip + ctx.jobPageSize < matching.length) {
      const next = new URL(req.url.pathname + req.url.search, req.baseUrl);
      next.searchParams.delete('$skipToken');
      next.searchParams.set('$skiptoken', String(skip + ctx.jobPageSize));
      nextLink = next.toString();
    }
    return {
      status: 200,
      body: { value: page.map((j) => jobJson(ctx, vault, j, false)), ...(nextLink ? { nextLink } : {}) },
    };
  });

  router.add('GET', `${VAULT}/backupJobs/{jobName}`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    ctx.engine.catchUp();
    const job = ctx.world.jobs.find(
      (j) => j.vaultKey === key && j.id.toLowerCase() === req.params.jobName!.toLowerCase(),
    );
    if (!job)
      throw notFound('BMSUserErrorJobNotFound', `Job '${req.params.jobName}' was not found in the vault.`);
    return { status: 200, body: jobJson(ctx, vault, job, true) };
  });
}

type JobPredicate = (job: SandboxJob, status: string) => boolean;

/** `status eq 'X' and operation eq 'Y' and startTime eq '2026-11-22 01:00:00 PM' …` — nothing else. */
export function parseFilter(text: string | null): JobPredicate {
  if (!text) return () => true;
  const checks: JobPredicate[] = [];
  for (const clause of text.split(/\s+and\s+/i)) {
    const m = /^\s*(\w+)\s+eq\s+'([^']*)'\s*$/i.exec(clause);
    if (!m)
      throw badRequest(
        'BMSUserErrorInvalidFilter',
        `The filter clause "${clause.slice(0, 80)}" is not supported.`,
      );
    const [, field, value] = m as unknown as [string, string, string];
    switch (field.toLowerCase()) {
      case 'status':
        if (!isJobStatus(value))
          throw badRequest('BMSUserErrorInvalidFilter', `"${value}" is not a job status.`);
        checks.push((_j, status) => status === value);
        break;
      case 'operation':
        checks.push((j) => j.operation.toLowerCase() === value.toLowerCase());
        break;
      case 'backupmanagementtype':
        checks.push(() => value === 'AzureIaasVM');
        break;
      case 'jobid':
        checks.push((j) => j.id.toLowerCase() === value.toLowerCase());
        break;
      case 'starttime': {
        const t = parseFilterTime(value);
        checks.push((j) => j.startMs >= t);
        break;
      }
      case 'endtime': {
        const t = parseFilterTime(value);
        checks.push((j) => j.startMs <= t);
        break;
      }
      default:
        throw badRequest('BMSUserErrorInvalidFilter', `Jobs cannot be filtered by "${field}".`);
    }
  }
  return (j, status) => checks.every((c) => c(j, status));
}

/** 'yyyy-MM-dd hh:mm:ss AM|PM' in UTC; the service also accepts hour 00 with AM. */
function parseFilterTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (AM|PM)$/i.exec(text);
  if (!m)
    throw badRequest(
      'BMSUserErrorInvalidFilter',
      `"${text}" is not a time of the form 'yyyy-MM-dd hh:mm:ss AM'.`,
    );
  const h12 = Number(m[4]);
  if (h12 > 12) throw badRequest('BMSUserErrorInvalidFilter', `"${text}" is not a 12-hour time.`);
  const h24 = (h12 % 12) + (m[7]!.toUpperCase() === 'PM' ? 12 : 0);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h24, Number(m[5]), Number(m[6]));
}

function jobJson(
  ctx: SandboxContext,
  vault: SandboxVault,
  job: SandboxJob,
  details: boolean,
): Record<string, unknown> {
  const now = ctx.clock.now().getTime();
  const status = ctx.engine.statusOf(job);
  const end = job.endMs;
  const task = (taskId: string, t: SandboxTask) => ({
    taskId,
    ...(t.startMs !== undefined ? { startTime: new Date(t.startMs).toISOString() } : {}),
    ...(t.endMs !== undefined ? { endTime: new Date(t.endMs).toISOString() } : {}),
    duration: formatIsoDuration(t.startMs === undefined ? 0 : (t.endMs ?? now) - t.startMs),
    status: t.status,
  });
  return {
    id: `${vault.id}/backupJobs/${job.id}`,
    name: job.id,
    type: 'Microsoft.RecoveryServices/vaults/backupJobs',
    properties: {
      jobType: 'AzureIaaSVMJob',
      duration: formatIsoDuration((end ?? now) - job.startMs),
      virtualMachineVersion: 'Compute',
      entityFriendlyName: job.vmName,
      backupManagementType: 'AzureIaasVM',
      operation: job.operation,
      status,
      startTime: new Date(job.startMs).toISOString(),
      ...(end !== undefined ? { endTime: new Date(end).toISOString() } : {}),
      activityId: job.id,
      isUserTriggered: job.isUserTriggered,
      containerName: `iaasvmcontainerv2;${job.vmResourceId.split('/')[4] ?? ''};${job.vmName}`,
      ...(details
        ? {
            errorDetails: job.errors.map((e, i) => ({
              errorCode: 400_000 + i,
              errorTitle: e.code,
              errorString: e.message,
              recommendations: e.recommendations,
            })),
            extendedInfo: {
              ...(job.tasks
                ? {
                    tasksList: [
                      task('Take Snapshot', job.tasks.snapshot),
                      task('Transfer data to vault', job.tasks.transfer),
                    ],
                  }
                : { tasksList: [] }),
              propertyBag: {
                'VM Name': job.vmName,
                ...(job.recoveryPointExpiry
                  ? { 'Recovery point expiry time in UTC': job.recoveryPointExpiry }
                  : {}),
                'Backup Size': job.tasks?.transfer.status === 'Completed' ? '10240 MB' : '0 MB',
              },
            },
          }
        : {}),
    },
  };
}
