import { badRequest } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { ITEM } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import { acceptedForItem, itemNotFound, propertiesOf, requireFabric } from './item-requests.js';
import { requireVault } from './lookups.js';
import { followsPolicy } from '../world.js';

const DEFAULT_RETENTION_DAYS = 30;
const MAX_RETENTION_YEARS = 99;

/**
 * On-demand backup (Backups_Trigger_IaasVM.json), DESIGN.md rule 6: the item must be protected and
 * the retain-until date in the future and at most 99 years ahead. While another backup of the VM is
 * taking its snapshot the trigger is still accepted (202), and the operation then fails with
 * UserErrorBackupOperationInProgress, as Azure does.
 */
export function addBackupNowRoute(router: ArmRouter, ctx: SandboxContext): void {
  const { world } = ctx;

  router.add('POST', `${ITEM}/backup`, (req) => {
    const { key } = requireVault(ctx, req.params);
    requireFabric(req.params);
    const item = world.findItem(key, req.params.containerName!, req.params.protectedItemName!);
    // Not recorded for backup now; what reading an item the vault does not have answers.
    if (!item) throw itemNotFound(req.params.protectedItemName!);
    if (!followsPolicy(item)) {
      throw badRequest(
        'BMSUserErrorProtectionStopped',
        `Protection of ${item.vmName} is stopped (its backup data is kept); resume protection before taking a backup.`,
      );
    }
    const vm = world.vmById(item.vmResourceId);
    if (!vm) {
      throw badRequest(
        'BMSUserErrorVmNotFound',
        `The virtual machine ${item.vmName} no longer exists; its backup data is kept in the vault.`,
      );
    }
    const props = propertiesOf(req.body);
    if (props.objectType !== undefined && props.objectType !== 'IaasVMBackupRequest') {
      throw badRequest(
        'BMSUserErrorInvalidInput',
        `A backup of an Azure VM takes an IaasVMBackupRequest (got ${String(props.objectType)}).`,
      );
    }
    const expiry = retainUntil(ctx.clock.now(), props.recoveryPointExpiryTimeInUTC);

    const running = ctx.engine.snapshotInProgress(vm.id);
    if (running) {
      return acceptedForItem(ctx, req, {
        error: {
          code: 'UserErrorBackupOperationInProgress',
          message: `Unable to start a backup of ${vm.name}: another backup operation (job ${running.id}) is still taking its snapshot. Try again after its Take Snapshot phase completes.`,
        },
      });
    }
    const job = ctx.engine.startBackup(item, vm, expiry.toISOString());
    return acceptedForItem(ctx, req, { jobId: job.id });
  });
}

function retainUntil(now: Date, given: unknown): Date {
  if (given === undefined || given === null)
    return new Date(now.getTime() + DEFAULT_RETENTION_DAYS * 86_400_000);
  const expiry = typeof given === 'string' ? new Date(given) : new Date(Number.NaN);
  if (Number.isNaN(expiry.getTime())) {
    throw badRequest(
      'BMSUserErrorInvalidRetentionDate',
      `The recovery point expiry time '${String(given)}' is not a date and time in UTC.`,
    );
  }
  if (expiry.getTime() <= now.getTime()) {
    throw badRequest(
      'BMSUserErrorInvalidRetentionDate',
      `The recovery point expiry time ${expiry.toISOString()} is in the past; give a time in the future.`,
    );
  }
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_RETENTION_YEARS);
  if (expiry.getTime() > limit.getTime()) {
    throw badRequest(
      'BMSUserErrorInvalidRetentionDate',
      `A recovery point can be kept for at most ${MAX_RETENTION_YEARS} years (until ${limit.toISOString().slice(0, 10)}).`,
    );
  }
  return expiry;
}
