import { conflict, notFound } from './arm-errors.js';
import { followsPolicy } from './world.js';
import type { SandboxContext } from './sandbox-context.js';
import type { SandboxJob } from './world.js';

/** How long a scheduled backup's recovery point is kept (the policies' daily retention). */
const SCHEDULED_RETENTION_MS = 30 * 86_400_000;

/**
 * Starts a backup of a protected VM as its policy's schedule would: no ARM request, and the job
 * says `isUserTriggered: false`, as Azure's scheduled jobs do. A planned failure (fail-next)
 * applies to it like to any backup. The sandbox does not run policies' schedules by itself.
 */
export function startScheduledBackup(
  ctx: Pick<SandboxContext, 'world' | 'clock' | 'engine'>,
  vmName: string,
): SandboxJob {
  const { world, clock, engine } = ctx;
  const vm = world.vmByName(vmName);
  if (!vm) throw notFound('ResourceNotFound', `The sandbox has no VM called ${vmName}.`);
  const item = [...world.protectedItems.values()].find(
    (i) => i.vmResourceId.toLowerCase() === vm.id.toLowerCase(),
  );
  if (!item)
    throw notFound('BMSUserErrorItemNotFound', `${vm.name} is not protected: no schedule backs it up.`);
  // A policy's schedule stops with protection (stop backup keeping data).
  if (!followsPolicy(item)) {
    throw conflict(
      'BMSUserErrorProtectionStopped',
      `Protection of ${vm.name} is ${item.state}: no schedule runs.`,
    );
  }
  const expiry = new Date(clock.now().getTime() + SCHEDULED_RETENTION_MS).toISOString();
  return engine.startBackup(item, vm, expiry, false);
}
