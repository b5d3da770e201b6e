import type {
  AzureIaaSVMJob,
  AzureIaaSVMJobTaskDetails,
  JobResource,
} from '@azure/arm-recoveryservicesbackup';
import type { BackupJob, JobError, JobPhase, TaskStatus } from '../domain/index.js';
import {
  SNAPSHOT_TASK,
  TRANSFER_TASK,
  deriveJobStatus,
  isJobStatus,
  isTaskStatus,
  parseIsoDuration,
} from '../domain/index.js';

/**
 * Azure job → BackupJob. A job from `jobDetails.get` carries the task list and so both phases; one
 * from `backupJobs.list` does not, and keeps Azure's status as it is.
 */
export function fromAzureJob(resource: JobResource, vaultName: string): BackupJob | undefined {
  const p = resource.properties;
  if (!p || !resource.name) return undefined;
  // The SDK's unions keep a base member, so the discriminator does not narrow: cast after checking.
  const iaas =
    p.jobType === 'AzureIaaSVMJob' || p.jobType === 'AzureIaaSVMJobV2' ? (p as AzureIaaSVMJob) : undefined;
  const azureStatus = p.status ?? 'Unknown';
  const tasks = iaas?.extendedInfo?.tasksList;
  const phases = tasks ? readPhases(tasks) : undefined;
  let status = isJobStatus(azureStatus) ? azureStatus : 'InProgress';
  // Cancellation is Azure's word, not a phase outcome: keep it.
  if (phases && status !== 'Cancelled' && status !== 'Cancelling') {
    status = deriveJobStatus(phases.snapshot.status, phases.transfer.status);
  }
  const startTime = p.startTime?.toISOString();
  const endTime = p.endTime?.toISOString();
  return {
    id: resource.name,
    vaultName,
    vmName: p.entityFriendlyName ?? iaas?.extendedInfo?.propertyBag?.['VM Name'] ?? 'unknown VM',
    operation: p.operation ?? 'Unknown',
    status,
    azureStatus,
    isUserTriggered: iaas?.isUserTriggered,
    startTime,
    endTime,
    durationMs: parseIsoDuration(iaas?.duration),
    phases,
    errors: (iaas?.errorDetails ?? []).map(toJobError),
  };
}

function readPhases(
  tasks: AzureIaaSVMJobTaskDetails[],
): { snapshot: JobPhase; transfer: JobPhase } | undefined {
  const find = (name: JobPhase['name']): JobPhase | undefined => {
    const t = tasks.find((x) => x.taskId === name);
    if (!t) return undefined;
    const status: TaskStatus = isTaskStatus(t.status) ? t.status : 'NotStarted';
    return {
      name,
      status,
      startTime: t.startTime?.toISOString(),
      endTime: t.endTime?.toISOString(),
      durationMs: parseIsoDuration(t.duration),
    };
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
  return {
    code,
    message: e.errorString ?? title ?? 'The job reported an error.',
    recommendations: e.recommendations ?? [],
  };
}

/** Formats a time for the jobs `$filter` exactly as the service expects: '2026-11-22 01:00:00 PM' (UTC). */
export function jobFilterTime(d: Date): string {
  const iso = d.toISOString();
  const h24 = d.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  return `${iso.slice(0, 10)} ${String(h12).padStart(2, '0')}:${iso.slice(14, 19)} ${h24 < 12 ? 'AM' : 'PM'}`;
}
