import type { BackupService } from '../azure/backup-service.js';
import { agentProblemWords } from '../cards/protection-words.js';
import type { AlertedVault } from '../jobs/scheduled-job-alerts.js';

/** The most VMs whose agent a digest reads (one instance-view read each) per vault. */
const MAX_AGENT_CHECKS = 20;
const DAY_MS = 86_400_000;

/** One vault's health, as the daily digest and `backup health` show it. */
export interface VaultHealth {
  vault: string;
  resourceGroup: string;
  /** The vault's subscription id, when known: same-named vaults of two subscriptions differ by it. */
  subscription?: string;
  /** Protected VMs with their last backup: status as Azure gives it, and when. */
  protectedVms: { name: string; lastStatus?: string; lastTime?: string }[];
  failures24h: { vm: string; jobId: string; status: string; error?: string }[];
  /** Eligible for this vault but not protected. */
  unprotected: string[];
  softDeleted: { vm: string; purgeAt?: string }[];
  /** VMs whose VM agent is missing or too old to back up. */
  oldAgents: { vm: string; problem: string }[];
  /** What could not be read (the rest of the vault is still shown). */
  problems: string[];
}

export interface DigestReport {
  asOf: string;
  vaults: VaultHealth[];
}

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
      if (vm && vm.agent.checked && !vm.agent.ok)
        health.oldAgents.push({ vm: name, problem: agentProblemWords(vm) ?? 'VM agent problem' });
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
