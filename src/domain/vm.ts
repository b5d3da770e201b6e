import { normalizeRegion } from './regions.js';

/** A VM as the bot reasons about it: facts read from Azure Compute and the vault. */
export type PowerState = 'running' | 'stopped' | 'deallocated' | 'starting' | 'stopping' | 'unknown';
export type OsType = 'Windows' | 'Linux';

export interface VmFacts {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  /** Region (for an Extended Zone VM, its parent region). */
  location: string;
  /** Name of the Extended Zone the VM runs in, when it does. */
  extendedZone?: string;
  osType: OsType;
  powerState: PowerState;
  /**
   * Whether the VM's own instance view was read. Only it tells the agent: a subscription-wide
   * listing is not relied on to carry `vmAgent`, so a listed VM's agent is "not checked".
   */
  agentChecked: boolean;
  /** Version the VM agent reports; undefined when not checked or no agent reports (missing, or VM not running). */
  agentVersion?: string;
}

export interface VaultRef {
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location: string;
}

/** Rule 4: only VMs of the vault's region and subscription can be protected by it. */
export function vmEligibility(vm: VmFacts, vault: VaultRef): { eligible: boolean; reason?: string } {
  if (vm.subscriptionId.toLowerCase() !== vault.subscriptionId.toLowerCase()) {
    return {
      eligible: false,
      reason: `In subscription ${vm.subscriptionId}; vault ${vault.name} protects VMs of subscription ${vault.subscriptionId} only.`,
    };
  }
  if (normalizeRegion(vm.location) !== normalizeRegion(vault.location)) {
    return {
      eligible: false,
      reason: `In region ${vm.location}; vault ${vault.name} is in ${vault.location} and protects VMs of that region (and its Extended Zones) only.`,
    };
  }
  return { eligible: true };
}

/** Rule 9: minimum Windows agent; Linux agents come from the distribution. */
export const MIN_WINDOWS_AGENT = '2.6.1198.718';

export interface AgentCheck {
  ok: boolean;
  /** False when the VM's instance view was not read: nothing is known about its agent. */
  checked: boolean;
  /** `blocking` problems stop enabling backup; `warning` ones are shown on the card. */
  severity?: 'blocking' | 'warning';
  problem?: string;
  fix?: string;
}

export function checkVmAgent(vm: VmFacts): AgentCheck {
  if (!vm.agentChecked) return { ok: true, checked: false };
  if (!vm.agentVersion) {
    if (vm.powerState !== 'running') {
      return {
        ok: true,
        checked: true,
        severity: 'warning',
        problem: `${vm.name} is not running, so its VM agent cannot be checked.`,
        fix: agentFix(vm.osType),
      };
    }
    return {
      ok: false,
      checked: true,
      severity: 'blocking',
      problem: `${vm.name} has no VM agent reporting.`,
      fix: agentFix(vm.osType),
    };
  }
  if (vm.osType === 'Windows' && compareVersions(vm.agentVersion, MIN_WINDOWS_AGENT) < 0) {
    return {
      ok: false,
      checked: true,
      severity: 'blocking',
      problem: `${vm.name} runs Windows VM agent ${vm.agentVersion}; Azure Backup needs ${MIN_WINDOWS_AGENT} or later.`,
      fix: agentFix('Windows'),
    };
  }
  return { ok: true, checked: true };
}

/** The agent as a list shows it: its version, "no agent reporting", or "agent not checked". */
export function agentWords(vm: Pick<VmFacts, 'agentChecked' | 'agentVersion'>): string {
  if (!vm.agentChecked) return 'agent not checked';
  return vm.agentVersion ? `agent ${vm.agentVersion}` : 'no agent reporting';
}

function agentFix(os: OsType): string {
  return os === 'Windows'
    ? `Install the latest Windows VM agent (${MIN_WINDOWS_AGENT} or later) from https://go.microsoft.com/fwlink/?LinkID=394789, then try again.`
    : "Install or update the Linux VM agent (walinuxagent / WALinuxAgent) from the distribution's packages, then try again.";
}

/** Compares dotted numeric versions; missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Rule 5: a running VM is most likely to give an application-consistent point. */
export function expectedConsistency(vm: Pick<VmFacts, 'powerState' | 'osType'>): {
  kind: 'application-consistent' | 'crash-consistent';
  why: string;
} {
  return vm.powerState === 'running'
    ? {
        kind: 'application-consistent',
        why: 'The VM is running, so the snapshot will most likely be application-consistent.',
      }
    : {
        kind: 'crash-consistent',
        why: `The VM is ${vm.powerState}, so the snapshot will be crash-consistent (like a power cut).`,
      };
}
