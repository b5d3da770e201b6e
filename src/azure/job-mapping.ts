import type {
  AzureIaaSVMJob,
  AzureIaaSVMJobTaskDetails,
  JobResource,
} from '@azure/arm-recoveryservicesbackup';
import type { BackupJob, JobError, JobPhase, JobTask, RestoreJobFacts } from '../domain/index.js';
import {
  SNAPSHOT_TASK,
  TRANSFER_TASK,
  fromPropertyBagTime,
  isJobStatus,
  isRestoreKind,
  isTaskStatus,
  parseIsoDuration,
  realTime,
  reportedDurationMs,
} from '../domain/index.js';

/**
 * Azure job → BackupJob. The job's status is Azure's, always: a `Failed` job can still list a
 * task `InProgress`, and recomputing the status from the tasks would show (and watch) it as
 * running. Only the two phases come from the task list, which `jobDetails.get` carries and
 * `backupJobs.list` does not. Placeholder times (`0001-01-01`) and `PT0S` durations, which
 * recorded tasks carry, become "not known".
 */
export function fromAzureJob(resource: JobResource, vaultName: string): BackupJob | undefined {
  const p = resource.properties;
  if (!p || !resource.name) return undefined;
  // The SDK's unions keep a base member, so the discriminator does not narrow: cast after checking.
  const iaas =
    p.jobType === 'AzureIaaSVMJob' || p.jobType === 'AzureIaaSVMJobV2' ? (p as AzureIaaSVMJob) : undefined;
  const azureStatus = p.status ?? 'Unknown';
  const tasks = iaas?.extendedInfo?.tasksList?.map(toJobTask);
  const phases = tasks ? readPhases(tasks) : undefined;
  const restore = p.operation === 'Restore' ? restoreFactsOf(iaas?.extendedInfo) : undefined;
  // A status this code does not know yet is shown as Azure's word and watched as unfinished.
  const status = isJobStatus(azureStatus) ? azureStatus : 'InProgress';
  const startTime = isoOf(p.startTime);
  const endTime = isoOf(p.endTime);
  const vaultResourceGroup = resource.id ? /\/resourceGroups\/([^/]+)/i.exec(resource.id)?.[1] : undefined;
  const vaultSubscription = resource.id ? /\/subscriptions\/([^/]+)/i.exec(resource.id)?.[1] : undefined;
  return {
    id: resource.name,
    vaultName,
    ...(vaultResourceGroup ? { vaultResourceGroup } : {}),
    ...(vaultSubscription ? { vaultSubscription } : {}),
    vmName: p.entityFriendlyName ?? iaas?.extendedInfo?.propertyBag?.['VM Name'] ?? 'unknown VM',
    operation: p.operation ?? 'Unknown',
    status,
    azureStatus,
    isUserTriggered: iaas?.isUserTriggered,
    startTime,
    endTime,
    durationMs: reportedDurationMs(parseIsoDuration(iaas?.duration)),
    phases,
    ...(tasks && tasks.length > 0 && !phases ? { tasks } : {}),
    ...(restore ? { restore } : {}),
    errors: (iaas?.errorDetails ?? []).map(toJobError),
  };
}

function toJobTask(t: AzureIaaSVMJobTaskDetails): JobTask {
  return {
    name: t.taskId ?? 'Task',
    status: isTaskStatus(t.status) ? t.status : 'NotStarted',
    startTime: isoOf(t.startTime),
    endTime: isoOf(t.endTime),
    durationMs: reportedDurationMs(parseIsoDuration(t.duration)),
  };
}

/**
 * A restore job's property bag, as recorded: "Recovery point time " keeps its trailing space (read
 * with or without it), values may be null while the job starts ("Target VM Name" of a replace), and
 * disk restores of 2022 name their target VM with the literal placeholder "vmName".
 */
function restoreFactsOf(info: AzureIaaSVMJob['extendedInfo']): RestoreJobFacts {
  const bag = (info?.propertyBag ?? {}) as Record<string, string | null | undefined>;
  const value = (key: string) => bag[key]?.trim() || undefined;
  const kind = info?.internalPropertyBag?.restoreLocationType;
  const targetVm = value('Target VM Name');
  const facts: RestoreJobFacts = {
    ...(isRestoreKind(kind) ? { kind } : {}),
    jobType: value('Job Type'),
    recoveryPointTime: fromPropertyBagTime(value('Recovery point time ') ?? value('Recovery point time')),
    targetVmName: targetVm === 'vmName' ? undefined : targetVm,
    targetResourceGroup: value('Target resource group'),
    storageAccount: value('Target Storage Account Name'),
    targetVnet: value('Target VNet Name'),
    templateBlobUri: value('Create VM Template Blob Uri') ?? value('Template Blob Uri'),
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as RestoreJobFacts;
}

function readPhases(tasks: JobTask[]): { snapshot: JobPhase; transfer: JobPhase } | undefined {
  const find = (name: JobPhase['name']): JobPhase | undefined => {
    const t = tasks.find((x) => x.name === name);
    return t ? { ...t, name } : undefined;
  };
  const snapshot = find(SNAPSHOT_TASK);
  const transfer = find(TRANSFER_TASK);
  return snapshot && transfer ? { snapshot, transfer } : undefined;
}

function toJobError(e: {
  errorCode?: number | string;
  errorTitle?: string;
  errorString?: string;
  recommendations?: string[];
}): JobError {
  // errorCode is numeric in the API; the readable code, when there is one, is in the title.
  const title = e.errorTitle?.trim();
  const code =
    typeof e.errorCode === 'string'
      ? e.errorCode
      : title && /^\w+$/.test(title)
        ? title
        : String(e.errorCode ?? 'Unknown');
  const message = e.errorString ?? title;
  return { code, ...(message ? { message } : {}), recommendations: e.recommendations ?? [] };
}

/** A time Azure sent, unless it is a placeholder. */
export function isoOf(d: Date | undefined): string | undefined {
  return d && !Number.isNaN(d.getTime()) ? realTime(d.toISOString()) : undefined;
}

/** Formats a time for the jobs `$filter` exactly as the service expects: '2026-11-22 01:00:00 PM' (UTC). */
export function jobFilterTime(d: Date): string {
  const iso = d.toISOString();
  const h24 = d.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  return `${iso.slice(0, 10)} ${String(h12).padStart(2, '0')}:${iso.slice(14, 19)} ${h24 < 12 ? 'AM' : 'PM'}`;
}
