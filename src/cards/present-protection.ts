import type { VmStatus } from '../domain/index.js';
import { formatTime, truncate } from './card-format.js';
import { scheduleWords } from './present-policy.js';
import type { EnableBackupView, RecoveryPointsView, StopBackupView, VmListView } from './views.js';

const VM_ROWS = 25;

/** Every VM: where it runs, its state, protection, and whether this vault can take it (and why not). */
export function presentVmList(v: VmListView) {
  const shown = v.vms.slice(0, VM_ROWS);
  return {
    title: `VMs · vault ${v.vault.name} (${v.vault.location})`,
    summary: `${v.vms.length} VMs; ${v.vms.filter((x) => x.protection.state === 'Protected').length} protected.${v.vms.length > VM_ROWS ? ` Showing ${VM_ROWS} (and ${v.vms.length - VM_ROWS} more).` : ''}`,
    vms: shown.map((vm) => ({
      name: truncate(vm.name, 64),
      where: `${vm.location}${vm.extendedZone ? ` · Extended Zone ${vm.extendedZone}` : ''}`,
      state: `${vm.osType} · ${vm.powerState}${vm.agentVersion ? ` · agent ${vm.agentVersion}` : ' · no agent reporting'}`,
      protection: protectionWords(vm),
      eligibility: vm.eligibility.eligible ? '' : `Not eligible: ${vm.eligibility.reason ?? ''}`,
      agentWarning: vm.agent.problem
        ? `${vm.agent.severity === 'blocking' ? '⛔' : '⚠️'} ${vm.agent.problem} ${vm.agent.fix ?? ''}`
        : '',
      canBackup: vm.protection.state === 'Protected',
      canEnable:
        vm.protection.state !== 'Protected' && vm.eligibility.eligible && vm.agent.severity !== 'blocking',
    })),
  };
}

function protectionWords(vm: VmStatus): string {
  const p = vm.protection;
  if (p.state === 'NotProtected') return '🔓 Not protected';
  const policy = p.policyName ? ` by ${p.policyName}${p.policyKind ? ` (${p.policyKind})` : ''}` : '';
  const last = p.lastBackupTime
    ? ` · last backup ${formatTime(p.lastBackupTime)}${p.lastBackupStatus ? ` (${p.lastBackupStatus})` : ''}`
    : '';
  return `${p.state === 'Protected' ? '🛡️ Protected' : `⏸️ ${p.state}`}${policy}${last}`;
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
      {
        title: 'First backup',
        value: 'Follows the policy\'s schedule; say "backup ' + result.vm.name + ' now" to take one at once.',
      },
      ...(result.jobId ? [{ title: 'Configure job', value: result.jobId }] : []),
    ],
    consistency: result.consistency.why,
    agentWarning: result.vm.agent.problem ? `⚠️ ${result.vm.agent.problem} ${result.vm.agent.fix ?? ''}` : '',
    vm: result.vm.name,
  };
}

export function presentStopBackup(v: StopBackupView) {
  const r = v.result;
  return {
    title: r.deletedData ? `Backup stopped and data deleted · ${r.vmName}` : `Backup stopped · ${r.vmName}`,
    text: r.deletedData
      ? 'Protection is stopped and the backup data is deleted. Soft delete keeps the deleted data for 14 more days, during which it can be undeleted in the Azure portal.'
      : 'Scheduled backups are stopped. The recovery points are kept; resume with "enable backup for ' +
        r.vmName +
        '".',
    facts: [{ title: 'Vault', value: v.vaultName }, ...(r.jobId ? [{ title: 'Job', value: r.jobId }] : [])],
  };
}

export function presentRecoveryPoints(v: RecoveryPointsView) {
  return {
    title: `Recovery points · ${v.vmName}`,
    summary:
      v.points.length === 0
        ? 'No recovery points yet.'
        : `${v.points.length} in vault ${v.vaultName}, newest first.`,
    points: v.points.slice(0, 30).map((p) => ({
      time: formatTime(p.time),
      detail: [
        p.consistency,
        p.tiers
          .filter((t) => t.status === 'Valid')
          .map((t) => t.type)
          .join(' + '),
        p.extendedZone ? `Extended Zone ${p.extendedZone}` : '',
      ]
        .filter(Boolean)
        .join(' · '),
    })),
  };
}
