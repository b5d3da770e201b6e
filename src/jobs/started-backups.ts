import type { BackupService } from '../azure/backup-service.js';
import type { Logger } from '../logger.js';
import type { StartedJobStore } from '../store/started-job-store.js';

/**
 * The backup service, remembering every backup job it starts (StartedJobStore), whoever asked:
 * a typed command, a card button or an approval. The alerts for failed *scheduled* backups rely on
 * it, since Azure's job records do not say who started a job. A crash between Azure accepting the
 * backup and the row being written leaves that one job unknown: if it fails, it is alerted as if
 * scheduled, which is the safe side.
 */
export function rememberingStartedBackups(
  service: BackupService,
  store: StartedJobStore,
  o: { defaultResourceGroup: string; now: () => Date; logger: Logger },
): BackupService {
  const backupNow: BackupService['backupNow'] = async (input) => {
    const result = await service.backupNow(input);
    await store
      .record(
        {
          jobId: result.job.id,
          vaultName: result.job.vaultName,
          resourceGroup: input.resourceGroup ?? result.job.vaultResourceGroup ?? o.defaultResourceGroup,
        },
        o.now(),
      )
      .catch((e: unknown) =>
        o.logger.warn('started backup not remembered; a failure of it may be alerted as scheduled', {
          jobId: result.job.id,
          error: e instanceof Error ? e.message : String(e),
        }),
      );
    return result;
  };
  // Every other method is the service's own, bound to it.
  return new Proxy(service, {
    get(target, prop, receiver) {
      if (prop === 'backupNow') return backupNow;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
