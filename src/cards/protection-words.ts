import type {
  AgentCheck,
  AgentFinding,
  Eligibility,
  ExpectedConsistency,
  OsType,
  VmFacts,
} from '../domain/index.js';
import { MIN_WINDOWS_AGENT } from '../domain/index.js';

/**
 * The domain's protection facts in words, one place each: a VM's eligibility for a vault (rule 4),
 * its agent (rule 9) and the consistency to expect of its backup (rule 5). Cards, the digest,
 * the preflight and the error card's suggestions all say them from here.
 */

/** Why the vault cannot protect the VM, or undefined when it can. */
export function eligibilityWords(e: Eligibility): string | undefined {
  const r = e.reason;
  if (e.eligible || !r) return undefined;
  return r.code === 'other-subscription'
    ? `In subscription ${r.vmSubscriptionId}; vault ${r.vaultName} protects VMs of subscription ${r.vaultSubscriptionId} only.`
    : `In region ${r.vmLocation}; vault ${r.vaultName} is in ${r.vaultLocation} and protects VMs of that region (and its Extended Zones) only.`;
}

type AgentFacts = Pick<VmFacts, 'name' | 'osType' | 'agentVersion'> & { agent: AgentCheck };

/** What is wrong with the VM's agent, or undefined when nothing is. */
export function agentProblemWords(vm: AgentFacts): string | undefined {
  const { issue } = vm.agent;
  if (!issue) return undefined;
  return agentFindingWords({
    vm: vm.name,
    issue,
    ...(vm.agentVersion ? { agentVersion: vm.agentVersion } : {}),
  });
}

/** What the agent check found, in words. */
export function agentFindingWords(f: AgentFinding): string {
  switch (f.issue) {
    case 'not-running':
      return `${f.vm} is not running, so its VM agent cannot be checked.`;
    case 'missing':
      return `${f.vm} has no VM agent reporting.`;
    case 'outdated':
      return `${f.vm} runs Windows VM agent ${f.agentVersion ?? 'unknown'}; Azure Backup needs ${MIN_WINDOWS_AGENT} or later.`;
  }
}

/** How to install or update the agent of a VM of this OS. */
export function agentFixWords(os: OsType | string | undefined, minimum = MIN_WINDOWS_AGENT): string {
  return os === 'Windows'
    ? `Install the latest Windows VM agent (${minimum} or later) from https://go.microsoft.com/fwlink/?LinkID=394789, then try again.`
    : "Install or update the Linux VM agent (walinuxagent / WALinuxAgent) from the distribution's packages, then try again.";
}

/** The problem and its fix, as a card's warning line says them (without its icon). */
export function agentWarningWords(vm: AgentFacts): string | undefined {
  const problem = agentProblemWords(vm);
  return problem ? `${problem} ${agentFixWords(vm.osType)}` : undefined;
}

/** The agent as a list shows it: its version, "no agent reporting", or "agent not checked". */
export function agentWords(vm: Pick<VmFacts, 'agentChecked' | 'agentVersion'>): string {
  if (!vm.agentChecked) return 'agent not checked';
  return vm.agentVersion ? `agent ${vm.agentVersion}` : 'no agent reporting';
}

export function consistencyWords(c: ExpectedConsistency): string {
  return c.kind === 'application-consistent'
    ? 'The VM is running, so the snapshot will most likely be application-consistent.'
    : `The VM is ${c.powerState}, so the snapshot will be crash-consistent (like a power cut).`;
}
