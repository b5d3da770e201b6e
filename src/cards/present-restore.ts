import type { BackupJob, RestoreKind } from '../domain/index.js';
import { isFinalJobStatus } from '../domain/index.js';
import { presentActions } from './card-actions.js';
import { formatTime, plural, truncate } from './card-format.js';
import { pointDetail } from './present-protection.js';
import type { RestoreOptionsView } from './views.js';

/** Points listed on the restore card: the newest few are what an on-call engineer restores from. */
export const RESTORE_POINT_ROWS = 10;

/** What each kind is called on a card (a restore job's "Restore" fact). */
export const RESTORE_KIND_NAMES: Record<RestoreKind, string> = {
  AlternateLocation: 'new VM',
  RestoreDisks: 'restore disks',
  OriginalLocation: 'replace disks',
};

/** The three kinds as the card and `help restore` explain them. */
export const RESTORE_KIND_TEXT: Record<RestoreKind, string> = {
  AlternateLocation:
    'New VM: a second VM is created from the point, on a subnet you choose; the original VM is not touched.',
  RestoreDisks:
    'Restore disks: managed disks and a template to build a VM from are created in a resource group; nothing running changes.',
  OriginalLocation:
    'Replace disks: the VM’s disks are swapped for the point’s, in place. Destructive: needs an approver. Azure snapshots the current disks first and leaves them in the resource group.',
};

/** The chat command that restores a VM from a point in a kind (the card's buttons type it). */
export function restoreCommand(
  vm: string,
  pointId: string,
  kind: RestoreKind,
  newVmName = `${vm}-restored`,
): string {
  const how =
    kind === 'AlternateLocation'
      ? `as new vm ${newVmName}`
      : kind === 'RestoreDisks'
        ? 'restore disks'
        : 'replace disks';
  return `restore ${vm} from ${pointId} ${how}`;
}

export function presentRestoreOptions(v: RestoreOptionsView) {
  const [newest] = v.points;
  const where = `${v.vm.location}${v.vm.extendedZone ? ` · Extended Zone ${v.vm.extendedZone}` : ''}`;
  return {
    title: `Restore ${v.vm.name}`,
    summary:
      v.points.length === 0
        ? `${v.vm.name} has no recovery points in vault ${v.vaultName} yet: back it up first ("backup ${v.vm.name} now").`
        : `${plural(v.points.length, 'recovery point')} in vault ${v.vaultName}, newest first (${where}).${v.points.length > RESTORE_POINT_ROWS ? ` Showing ${RESTORE_POINT_ROWS}.` : ''}`,
    points: v.points.slice(0, RESTORE_POINT_ROWS).map((p) => ({
      time: formatTime(p.time),
      detail: `${pointDetail(p)} · id ${p.id}`,
    })),
    options: (['AlternateLocation', 'RestoreDisks', 'OriginalLocation'] as const).map(
      (k) => RESTORE_KIND_TEXT[k],
    ),
    zoneNote: v.vm.extendedZone
      ? `A new VM and restored disks are created in ${v.vm.location}, the vault's region; replacing disks keeps the VM in Extended Zone ${v.vm.extendedZone}.`
      : '',
    howTo: `Type "restore ${v.vm.name} from <point id | latest | yesterday 14:00> as new vm <name> [in <rg>] [subnet <rg>/<vnet>/<subnet>]", "… restore disks [to <rg>]" or "… replace disks".`,
    actions: presentActions(
      newest
        ? (
            [
              {
                title: `New VM ${truncate(v.newVmName, 30)} from the newest point`,
                kind: 'AlternateLocation' as const,
                style: 'positive',
              },
              {
                title: 'Restore disks from the newest point',
                kind: 'RestoreDisks' as const,
                style: 'default',
              },
              { title: 'Replace disks… (approval)', kind: 'OriginalLocation' as const, style: 'destructive' },
            ] as const
          ).map((b) => ({
            title: b.title,
            ...(b.style === 'default' ? {} : { style: b.style }),
            verb: 'command.run' as const,
            data: { text: restoreCommand(v.vm.name, newest.id, b.kind, v.newVmName) },
          }))
        : [],
    ),
  };
}

/** What a restore job makes (or made), for the job card: one line. */
export function restoreOutcome(job: BackupJob): string {
  const r = job.restore;
  if (!r?.kind) return '';
  const done = isFinalJobStatus(job.status);
  const ok = job.status === 'Completed' || job.status === 'CompletedWithWarnings';
  const rg = r.targetResourceGroup ? ` in resource group ${r.targetResourceGroup}` : '';
  switch (r.kind) {
    case 'AlternateLocation':
      return done
        ? ok
          ? `Created VM ${r.targetVmName ?? '(name not reported)'}${rg}.`
          : 'No VM was created.'
        : `Creates VM ${r.targetVmName ?? ''}${rg}${r.targetVnet ? ` on network ${r.targetVnet.replace(/^Group \S+ /, '')}` : ''}.`;
    case 'RestoreDisks':
      return done && ok
        ? `Disks restored${rg}. Build a VM from them with the template${r.templateBlobUri ? `: ${r.templateBlobUri}` : ' in the staging account'}.`
        : `Restores the disks${rg}, with a template to build a VM from them (staging account ${r.storageAccount ?? '—'}).`;
    case 'OriginalLocation':
      return done && ok
        ? `The disks of ${job.vmName} were replaced. Azure snapshotted the previous disks first and left them in the VM's resource group.`
        : `Replaces the disks of ${job.vmName} in place; Azure snapshots the current disks first and leaves them in the VM's resource group.`;
  }
}
