/**
 * An Azure Monitor alert in the common alert schema (`schemaId: azureMonitorCommonAlertSchema`),
 * reduced to what the bot acts on: Azure Backup's built-in job alerts (`monitoringService:
 * "Azure Backup"`, fired on the vault, the job id in `alertContext.extendedInfo.jobId`). Anything
 * else is recognised and set aside with the reason, so the webhook answers every alert.
 */
export type MonitorAlert =
  | {
      kind: 'backup-job';
      alertId: string;
      subscriptionId: string;
      resourceGroup: string;
      vault: string;
      jobId: string;
      /** The protected resource (the VM), when the alert names it. */
      resourceName?: string;
    }
  | { kind: 'ignored'; alertId: string; reason: string };

export class MonitorAlertError extends Error {}

const VAULT_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.RecoveryServices\/vaults\/([^/]+)$/i;

export function parseMonitorAlert(payload: unknown): MonitorAlert {
  const root = record(payload);
  if (root?.schemaId !== 'azureMonitorCommonAlertSchema')
    throw new MonitorAlertError(
      'not an alert in the common alert schema (schemaId azureMonitorCommonAlertSchema)',
    );
  const data = record(root.data);
  const essentials = record(data?.essentials);
  if (!essentials || typeof essentials.alertId !== 'string')
    throw new MonitorAlertError('the alert has no data.essentials.alertId');
  const alertId = essentials.alertId;
  const ignore = (reason: string): MonitorAlert => ({ kind: 'ignored', alertId, reason });
  if (essentials.monitoringService !== 'Azure Backup') return ignore('not an Azure Backup alert');
  if (essentials.monitorCondition !== 'Fired')
    return ignore(`monitor condition ${String(essentials.monitorCondition)}`);
  const context = record(data?.alertContext);
  const extended = record(context?.extendedInfo);
  const jobId = extended?.jobId;
  if (typeof jobId !== 'string' || !/^[\w-]{1,100}$/.test(jobId))
    return ignore('the alert names no backup job');
  const targets = Array.isArray(essentials.alertTargetIDs) ? essentials.alertTargetIDs : [];
  const vaultMatch = targets.map((t) => (typeof t === 'string' ? VAULT_ID.exec(t) : null)).find(Boolean);
  if (!vaultMatch) return ignore('the alert is not on a Recovery Services vault');
  const resourceName =
    typeof context?.linkedResourceName === 'string' ? context.linkedResourceName : undefined;
  return {
    kind: 'backup-job',
    alertId,
    subscriptionId: vaultMatch[1]!,
    resourceGroup: vaultMatch[2]!,
    vault: vaultMatch[3]!,
    jobId,
    ...(resourceName ? { resourceName } : {}),
  };
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
