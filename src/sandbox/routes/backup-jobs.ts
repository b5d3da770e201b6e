import { SNAPSHOT_TASK, TRANSFER_TASK, formatIsoDuration, isJobStatus } from '../../domain/index.js';
import type { JobStatus } from '../../domain/index.js';
import { notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { invalid, parseEqFilter } from '../odata-filter.js';
import { VAULT } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxJob, SandboxRestore, SandboxTask, SandboxVault } from '../world.js';
import { requireVault } from './lookups.js';

/** Azure Backup's JobOperationType values; a filter naming another is refused. */
const OPERATIONS = [
  'Register',
  'UnRegister',
  'ConfigureBackup',
  'Backup',
  'Restore',
  'DisableBackup',
  'DeleteBackupData',
  'CrossRegionRestore',
  'Undelete',
  'UpdateCustomerManagedKey',
];
const MANAGEMENT_TYPES = [
  'AzureIaasVM',
  'MAB',
  'DPM',
  'AzureBackupServer',
  'AzureSql',
  'AzureStorage',
  'AzureWorkload',
  'DefaultBackup',
];

/**
 * Jobs: a filtered, newest-first, paged list whose items carry no task list, and details with both
 * phases (BackupJobs_List*.json and JobDetails_Get_IaasVM_tasksList.json).
 */
export function addJobRoutes(router: ArmRouter, ctx: SandboxContext): void {
  router.add('GET', `${VAULT}/backupJobs`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const matches = parseJobFilter(req.url.searchParams.get('$filter'));
    const all = ctx.world.jobs
      .filter((j) => j.vaultKey === key && matches(j, ctx.engine.statusOf(j)))
      .sort((a, b) => b.startMs - a.startMs);
    const skip = skipOf(req.url.searchParams);
    const page = all.slice(skip, skip + ctx.jobPageSize);
    let nextLink: string | undefined;
    if (skip + ctx.jobPageSize < all.length) {
      // The same query with the next position: the SDK follows it as given.
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
    const job = ctx.world.jobs.find(
      (j) => j.vaultKey === key && j.id.toLowerCase() === req.params.jobName!.toLowerCase(),
    );
    if (!job)
      throw notFound('BMSUserErrorJobNotFound', `Job '${req.params.jobName}' was not found in the vault.`);
    return { status: 200, body: jobJson(ctx, vault, job, true) };
  });
}

type JobPredicate = (job: SandboxJob, status: JobStatus) => boolean;

/**
 * `status eq 'X' and operation eq 'Y' and backupManagementType eq 'AzureIaasVM' and
 * startTime eq '2026-11-22 01:00:00 PM' and endTime eq '…'` (az CLI's and Azure PowerShell's forms,
 * PowerShell's with `operation eq ''`): exactly these, anything else is a 400.
 * startTime/endTime bound the jobs' start time, as the portal's time range does.
 */
export function parseJobFilter(text: string | null): JobPredicate {
  const f = parseEqFilter(text, ['status', 'operation', 'backupManagementType', 'startTime', 'endTime']);
  const checks: JobPredicate[] = [];
  const status = f.get('status');
  if (status !== undefined) {
    if (!isJobStatus(status)) throw invalid(`"${status}" is not a job status.`);
    checks.push((_j, s) => s === status);
  }
  const operation = f.get('operation');
  // Azure PowerShell sends `operation eq ''` when no operation is asked for, and Azure answers
  // jobs of every operation (TestAzureVMGetJobsTimeFilter.json, 2025).
  if (operation !== undefined && operation !== '') {
    if (!OPERATIONS.includes(operation)) throw invalid(`"${operation}" is not a job operation.`);
    checks.push((j) => j.operation === operation);
  }
  const type = f.get('backupmanagementtype');
  if (type !== undefined) {
    if (!MANAGEMENT_TYPES.includes(type)) throw invalid(`"${type}" is not a backup management type.`);
    checks.push(() => type === 'AzureIaasVM');
  }
  const start = f.get('starttime');
  if (start !== undefined) {
    const t = parseFilterTime(start);
    checks.push((j) => j.startMs >= t);
  }
  const end = f.get('endtime');
  if (end !== undefined) {
    const t = parseFilterTime(end);
    checks.push((j) => j.startMs <= t);
  }
  return (j, s) => checks.every((c) => c(j, s));
}

/** 'yyyy-MM-dd hh:mm:ss AM|PM' in UTC; the service also takes hour 00 with AM. */
function parseFilterTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (AM|PM)$/i.exec(text);
  if (!m) throw invalid(`"${text}" is not a time of the form 'yyyy-MM-dd hh:mm:ss AM'.`);
  const [year, month, day, h12, min, sec] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || h12 > 12 || min > 59 || sec > 59) {
    throw invalid(`"${text}" is not a valid date and 12-hour time.`);
  }
  const h24 = (h12 % 12) + (m[7]!.toUpperCase() === 'PM' ? 12 : 0);
  return Date.UTC(year, month - 1, day, h24, min, sec);
}

/** The position in the list; the SDK sends `$skipToken`, Azure's own next links `$skiptoken`. */
function skipOf(query: URLSearchParams): number {
  const raw = query.get('$skipToken') ?? query.get('$skiptoken');
  if (raw === null) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw invalid(`"${raw.slice(0, 40)}" is not a skip token of this list.`);
  return n;
}

/** Azure's placeholder for a time not set yet, exactly as recorded (no `Z`). */
const UNSET_TIME = '0001-01-01T00:00:00';

/**
 * A job as Azure Backup records it (test_backup_rp.yaml, api-version 2025-02-01): list items carry
 * no `extendedInfo`; details carry every task with placeholder times while unset and `PT0S` before
 * it starts, a property bag with the recorded keys, and `progressPercentage` only once the transfer
 * has started. There is no `isUserTriggered`: recorded live job records never have it. (The
 * recorded 2025 jobs have a third task, "Validate Backup", that the sandbox does not model.)
 */
function jobJson(
  ctx: SandboxContext,
  vault: SandboxVault,
  job: SandboxJob,
  details: boolean,
): Record<string, unknown> {
  const now = ctx.clock.now().getTime();
  const end = job.endMs;
  const task = (taskId: string, t: SandboxTask) => ({
    taskId,
    startTime: t.startMs !== undefined ? new Date(t.startMs).toISOString() : UNSET_TIME,
    endTime: t.endMs !== undefined ? new Date(t.endMs).toISOString() : UNSET_TIME,
    duration: formatIsoDuration(t.startMs === undefined ? 0 : (t.endMs ?? now) - t.startMs),
    status: t.status,
    taskType: 'Normal',
  });
  const rg = job.vmResourceId.split('/')[4] ?? '';
  return {
    id: `${vault.id}/backupJobs/${job.id}`,
    name: job.id,
    type: 'Microsoft.RecoveryServices/vaults/backupJobs',
    properties: {
      jobType: 'AzureIaaSVMJob',
      ...(job.tasks || job.restore ? { actionsInfo: ['Cancellable'] } : {}),
      // Lower case, as Azure names containers (PowerShell 2025 jobs and items).
      containerName: `iaasvmcontainerv2;${rg};${job.vmName}`.toLowerCase(),
      duration: formatIsoDuration((end ?? now) - job.startMs),
      virtualMachineVersion: 'Compute',
      ...(job.errors.length > 0
        ? {
            errorDetails: job.errors.map((e) => ({
              errorCode: e.numericCode,
              errorTitle: e.code,
              errorString: e.message,
              recommendations: e.recommendations,
            })),
          }
        : {}),
      ...(details
        ? { extendedInfo: job.restore ? restoreInfo(job, job.restore) : backupInfo(ctx, job, task) }
        : {}),
      entityFriendlyName: job.vmName,
      backupManagementType: 'AzureIaasVM',
      operation: job.operation,
      status: ctx.engine.statusOf(job),
      startTime: new Date(job.startMs).toISOString(),
      ...(end !== undefined ? { endTime: new Date(end).toISOString() } : {}),
      activityId: job.activityId,
    },
  };
}

type TaskJson = (taskId: string, t: SandboxTask) => Record<string, unknown>;

/** A backup's (or a short job's) extended info: its two phases, or no tasks. */
function backupInfo(ctx: SandboxContext, job: SandboxJob, task: TaskJson): Record<string, unknown> {
  const transfer = job.tasks?.transfer;
  return {
    // Only backups have phases; configure/stop/delete jobs have an empty task list.
    tasksList: job.tasks
      ? [task(SNAPSHOT_TASK, job.tasks.snapshot), task(TRANSFER_TASK, job.tasks.transfer)]
      : [],
    propertyBag: propertyBagOf(ctx, job),
    ...(job.tasks ? { internalPropertyBag: { IsInstantRpJob: 'True' } } : {}),
    ...(transfer && transfer.status !== 'NotStarted'
      ? { progressPercentage: transfer.status === 'InProgress' ? 1.0 : 100.0 }
      : {}),
  };
}

/**
 * A restore's extended info as recorded (test_backup_restore.yaml): its tasks with `PT0S` and no
 * times, the property bag of its kind, `restoreLocationType`, progress stuck at 1 % through the
 * transfer, then 99 % with two minutes "remaining" (however long the last task takes; a new VM's
 * stays at 1 %), 100 % at the end; `dynamicErrorMessage: ""` only while it runs.
 */
function restoreInfo(job: SandboxJob, restore: SandboxRestore): Record<string, unknown> {
  const done = job.endMs !== undefined;
  // Recorded: disks and replace jump to 99 % once transferred; a new VM stays at 1 % while created.
  const transferred = restore.steps[0]!.status === 'Completed' && restore.kind !== 'AlternateLocation';
  return {
    tasksList: restore.steps.map((s) => ({
      taskId: s.name,
      duration: 'PT0S',
      status: s.status,
      taskType: 'Normal',
    })),
    propertyBag: { ...restore.propertyBag },
    internalPropertyBag: { restoreLocationType: restore.kind },
    progressPercentage: done ? 100.0 : transferred ? 99.0 : 1.0,
    ...(done
      ? { estimatedRemainingDuration: 'PT0S' }
      : transferred
        ? { estimatedRemainingDuration: 'PT2M' }
        : {}),
    ...(done ? {} : { dynamicErrorMessage: '' }),
  };
}

/** The recorded property bag keys of each kind of job. */
function propertyBagOf(ctx: SandboxContext, job: SandboxJob): Record<string, string> {
  const bag: Record<string, string> = { 'VM Name': job.vmName };
  if (job.operation === 'Backup') {
    if (job.recoveryPointExpiry) {
      bag['Recovery Point Expiry Time in UTC'] = propertyBagTime(job.recoveryPointExpiry);
    }
    if (job.tasks?.transfer.status === 'Completed') bag['Backup Size'] = '10240 MB';
    bag['VM Subscription ID'] = ctx.world.subscriptionId;
  } else if (job.operation === 'DeleteBackupData') {
    bag['Number of Recovery Points'] = String(job.recoveryPointCount ?? 0);
  }
  return { ...bag, ...job.propertyBag };
}

/** Times in property bags are .NET's invariant `M/d/yyyy h:mm:ss tt` in UTC: `8/24/2026 12:00:00 AM`. */
export function propertyBagTime(iso: string): string {
  const d = new Date(iso);
  const h = d.getUTCHours();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}
