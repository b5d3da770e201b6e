import type { RecoveryPoint, VmStatus } from '../domain/index.js';
import { agentWarningWords, agentWords, consistencyWords, eligibilityWords } from './protection-words.js';
import { presentActions } from './card-actions.js';
import { formatTime, plural, shownOf, truncate } from './card-format.js';
import { scheduleWords } from './present-policy.js';
import type { EnableBackupView, RecoveryPointsView, StopBackupView, VmListView } from './views.js';

/** VMs shown on one card: a 200-VM subscription would otherwise pass Teams' message limit. */
export const VM_LIST_ROWS = 25;
export const RECOVERY_POINT_ROWS = 30;

/** States in which Azure accepts an on-demand backup (IRPending: protected, first backup pending). */
const BACKUP_NOW_STATES = new Set(['Protected', 'IRPending']);

/** Every VM: where it runs, its state, protection, and whether this vault can take it (and why not). */
export function presentVmList(v: VmListView) {
  const protectedCount = v.vms.filter((x) => BACKUP_NOW_STATES.has(x.protection.state)).length;
  return {
    title: `VMs · ${v.across ? '' : 'vault '}${v.vault.name} (${v.vault.location})`,
    summary: [
      `${plural(v.vms.length, 'VM')}, ${protectedCount} protected.`,
      shownOf(v.vms.length, VM_LIST_ROWS),
    ]
      .filter(Boolean)
      .join(' '),
    vms: v.vms.slice(0, VM_LIST_ROWS).map((vm) => {
      const canBackup = BACKUP_NOW_STATES.has(vm.protection.state);
      return {
        name: truncate(vm.name, 64),
        // Buttons carry the full name: a truncated one would name another VM, or none.
        vm: vm.name,
        where: `${vm.location}${vm.extendedZone ? ` · Extended Zone ${vm.extendedZone}` : ''}`,
        state: `${vm.osType} · ${vm.powerState} · ${agentWords(vm)}`,
        protection: protectionWords(vm),
        eligibility: vm.eligibility.eligible
          ? ''
          : `Not eligible: ${eligibilityWords(vm.eligibility) ?? 'not in this vault’s scope.'}`,
        agentWarning: agentIconWarning(vm, vm.agent.severity === 'blocking' ? '⛔' : '⚠️'),
        agentColor: vm.agent.severity === 'blocking' ? 'Attention' : 'Warning',
        // Back up now when protected; else enable, unless a blocking agent problem (rule 9) would
        // only make enabling fail: the card shows the fix instead.
        actions: presentActions(
          canBackup
            ? [{ verb: 'backup.now', title: 'Back up now', data: { vm: vm.name }, style: 'positive' }]
            : vm.eligibility.eligible && vm.agent.severity !== 'blocking'
              ? [{ verb: 'backup.enable', title: 'Enable backup', data: { vm: vm.name } }]
              : [],
        ),
      };
    }),
  };
}

function agentIconWarning(vm: VmStatus, icon: string): string {
  const words = agentWarningWords(vm);
  return words ? `${icon} ${words}` : '';
}

function protectionWords(vm: VmStatus): string {
  const p = vm.protection;
  if (p.state === 'NotProtected') return '🔓 Not protected';
  if (p.softDeleted) {
    const until = p.softDeleted.purgeAt ? ` until ${formatTime(p.softDeleted.purgeAt)}` : '';
    return `🗑️ Backup data deleted; soft delete keeps it${until} and it can be undeleted until then ("enable backup for ${vm.name}")`;
  }
  const policy = p.policyName ? ` by ${p.policyName}${p.policyKind ? ` (${p.policyKind})` : ''}` : '';
  // Azure sends "" and 2001-01-01 until the first backup: say so rather than show a date.
  const last = p.lastBackupTime
    ? ` · last backup ${formatTime(p.lastBackupTime)}${p.lastBackupStatus ? ` (${p.lastBackupStatus})` : ''}`
    : BACKUP_NOW_STATES.has(p.state)
      ? ' · no backup yet'
      : '';
  const state =
    p.state === 'Protected'
      ? '🛡️ Protected'
      : p.state === 'IRPending'
        ? '🛡️ Protected, first backup pending'
        : p.state === 'ProtectionStopped'
          ? '⏸️ Backup stopped, data kept'
          : `⏸️ ${p.state}`;
  return `${state}${policy}${last}`;
}

/** Backup enabled: policy, first backup, consistency to expect, agent warning. */
export function presentEnableBackup(v: EnableBackupView) {
  const { result } = v;
  return {
    title: result.alreadyProtected
      ? `${result.vm.name} is already protected`
      : `Backup enabled for ${result.vm.name}`,
    facts: [
      { title: 'Vault', value: v.vaultName },
      { title: 'Policy', value: `${result.policy.name} (${result.policy.kind})` },
      { title: 'Schedule', value: scheduleWords(result.policy) },
      ...(result.vm.extendedZone ? [{ title: 'Extended Zone', value: result.vm.extendedZone }] : []),
      ...(result.jobId ? [{ title: 'Configure job', value: result.jobId }] : []),
    ],
    firstBackup: `${result.undeleted ? 'Its soft-deleted backup data was undeleted first, with its recovery points. ' : ''}The first backup follows the policy's schedule; to take one at once, say "backup ${result.vm.name} now" or press the button.`,
    consistency: consistencyWords(result.consistency),
    agentWarning: agentIconWarning(result.vm, '⚠️'),
    vm: result.vm.name,
    actions: presentActions([
      { verb: 'backup.now', title: 'Back up now', data: { vm: result.vm.name }, style: 'positive' },
    ]),
  };
}

export function presentStopBackup(v: StopBackupView) {
  const r = v.result;
  return {
    title: r.deletedData ? `Backup stopped and data deleted · ${r.vmName}` : `Backup stopped · ${r.vmName}`,
    text: r.deletedData
      ? r.softDeletedUntil
        ? `Protection is stopped and the backup data is deleted. Soft delete keeps it until ${formatTime(r.softDeletedUntil)}; until then "enable backup for ${r.vmName}" undeletes it and protects the VM again.`
        : 'Protection is stopped and the backup data is deleted.'
      : `Scheduled backups are stopped. The recovery points are kept; resume with "enable backup for ${r.vmName}".`,
    facts: [{ title: 'Vault', value: v.vaultName }, ...(r.jobId ? [{ title: 'Job', value: r.jobId }] : [])],
  };
}

const CONSISTENCY: Record<string, string> = {
  AppConsistent: 'Application-consistent',
  CrashConsistent: 'Crash-consistent',
  FileSystemConsistent: 'File-system-consistent',
};
/** The portal's names for where a point lives. */
const TIER: Record<string, string> = { InstantRP: 'Snapshot', HardenedRP: 'Vault', ArchivedRP: 'Archive' };

export function pointDetail(p: RecoveryPoint): string {
  const tiers = p.tiers.filter((t) => t.status === 'Valid').map((t) => TIER[t.type] ?? t.type);
  // An Enhanced policy's point may stay a snapshot alone for a day or more (recorded, 2026): it
  // restores from the snapshot, and is gone when the snapshot expires.
  const where = tiers.length === 1 && tiers[0] === TIER.InstantRP ? 'Snapshot only' : tiers.join(' + ');
  return [
    CONSISTENCY[p.consistency] ?? p.consistency,
    where,
    p.extendedZone ? `Extended Zone ${p.extendedZone}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export function presentRecoveryPoints(v: RecoveryPointsView) {
  const n = v.points.length;
  return {
    title: `Recovery points · ${v.vmName}`,
    summary:
      n === 0
        ? `No recovery points in vault ${v.vaultName} yet.`
        : [
            `${plural(n, 'recovery point')} in vault ${v.vaultName}, newest first.`,
            shownOf(n, RECOVERY_POINT_ROWS),
          ]
            .filter(Boolean)
            .join(' '),
    points: v.points
      .slice(0, RECOVERY_POINT_ROWS)
      .map((p) => ({ time: formatTime(p.time), detail: pointDetail(p) })),
  };
}
