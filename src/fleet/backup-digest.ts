import type { BackupService } from '../azure/backup-service.js';
import type { DigestReport, VaultHealth } from '../domain/index.js';
import type { AlertedVault } from '../jobs/scheduled-job-alerts.js';

/** The most VMs whose agent a digest reads (one instance-view read each) per vault. */
const MAX_AGENT_CHECKS = 20;
const DAY_MS = 86_400_000;

/**
 * Reads each vault's health: one VM listing and one job list (last 24 h) per vault, plus an
 * instance-view read per protected or eligible VM (at most MAX_AGENT_CHECKS) for its agent.
 */
export async function collectDigest(
  service: BackupService,
  vaults: readonly AlertedVault[],
  now: Date,
): Promise<DigestReport> {
  const out: VaultHealth[] = [];
  for (const v of vaults) out.push(await vaultHealth(service, v, now));
  return { asOf: now.toISOString(), vaults: out };
}

async function vaultHealth(service: BackupService, v: AlertedVault, now: Date): Promise<VaultHealth> {
  const target = {
    vault: v.vault,
    resourceGroup: v.resourceGroup,
    ...(v.subscription ? { subscription: v.subscription } : {}),
  };
  const health: VaultHealth = {
    vault: v.vault,
    resourceGroup: v.resourceGroup,
    ...(v.subscription ? { subscription: v.subscription } : {}),
    protectedVms: [],
    failures24h: [],
    unprotected: [],
    softDeleted: [],
    oldAgents: [],
    problems: [],
  };
  const inVault = (vaultName?: string) => vaultName?.toLowerCase() === v.vault.toLowerCase();
  try {
    const { vms } = await service.listVms(target);
    const agentChecks: string[] = [];
    for (const vm of vms) {
      const p = vm.protection;
      if (p.softDeleted && inVault(p.vaultName)) {
        health.softDeleted.push({
          vm: vm.name,
          ...(p.softDeleted.purgeAt ? { purgeAt: p.softDeleted.purgeAt } : {}),
        });
      } else if (inVault(p.vaultName) && p.state !== 'NotProtected') {
        health.protectedVms.push({
          name: vm.name,
          ...(p.lastBackupStatus ? { lastStatus: p.lastBackupStatus } : {}),
          ...(p.lastBackupTime ? { lastTime: p.lastBackupTime } : {}),
        });
        agentChecks.push(vm.name);
      } else if (vm.eligibility.eligible && p.state === 'NotProtected') {
        health.unprotected.push(vm.name);
        agentChecks.push(vm.name);
      }
    }
    for (const name of agentChecks.slice(0, MAX_AGENT_CHECKS)) {
      const vm = await service.getVm(name, target).catch(() => undefined);
      if (vm?.agent.checked && !vm.agent.ok && vm.agent.issue)
        health.oldAgents.push({
          vm: name,
          issue: vm.agent.issue,
          osType: vm.osType,
          ...(vm.agentVersion ? { agentVersion: vm.agentVersion } : {}),
        });
    }
    if (agentChecks.length > MAX_AGENT_CHECKS)
      health.problems.push(`VM agents checked for the first ${MAX_AGENT_CHECKS} VMs only.`);
  } catch (e) {
    health.problems.push(`VMs could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const jobs = await service.listJobs(
      { operation: 'Backup', since: new Date(now.getTime() - DAY_MS), until: now, limit: 200 },
      target,
    );
    for (const j of jobs) {
      if (j.status !== 'Failed' && j.status !== 'CompletedWithWarnings') continue;
      health.failures24h.push({
        vm: j.vmName,
        jobId: j.id,
        status: j.status,
        ...(j.errors[0] ? { error: j.errors[0].code } : {}),
      });
    }
  } catch (e) {
    health.problems.push(`Jobs could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  return health;
}
