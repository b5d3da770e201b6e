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

/**
 * Why a vault cannot protect a VM (rule 4), as facts: the cards and errors put them in words.
 * `other-subscription` is checked first: a VM of another subscription is never the vault's.
 */
export type IneligibleReason =
  | { code: 'other-subscription'; vmSubscriptionId: string; vaultName: string; vaultSubscriptionId: string }
  | { code: 'other-region'; vmLocation: string; vaultName: string; vaultLocation: string };

export interface Eligibility {
  eligible: boolean;
  reason?: IneligibleReason;
}

/** Rule 4: only VMs of the vault's region and subscription can be protected by it. */
export function vmEligibility(vm: VmFacts, vault: VaultRef): Eligibility {
  if (vm.subscriptionId.toLowerCase() !== vault.subscriptionId.toLowerCase()) {
    return {
      eligible: false,
      reason: {
        code: 'other-subscription',
        vmSubscriptionId: vm.subscriptionId,
        vaultName: vault.name,
        vaultSubscriptionId: vault.subscriptionId,
      },
    };
  }
  if (normalizeRegion(vm.location) !== normalizeRegion(vault.location)) {
    return {
      eligible: false,
      reason: {
        code: 'other-region',
        vmLocation: vm.location,
        vaultName: vault.name,
        vaultLocation: vault.location,
      },
    };
  }
  return { eligible: true };
}

/** Rule 9: minimum Windows agent; Linux agents come from the distribution. */
export const MIN_WINDOWS_AGENT = '2.6.1198.718';

/**
 * What is wrong with a VM's agent (rule 9): `not-running` (a stopped VM reports none, so it cannot
 * be checked), `missing` (a running VM with none reporting), `outdated` (a Windows agent older
 * than `MIN_WINDOWS_AGENT`). The VM's name, OS and version say the rest.
 */
export type AgentIssue = 'not-running' | 'missing' | 'outdated';

export interface AgentCheck {
  ok: boolean;
  /** False when the VM's instance view was not read: nothing is known about its agent. */
  checked: boolean;
  /** `blocking` problems stop enabling backup; `warning` ones are shown on the card. */
  severity?: 'blocking' | 'warning';
  issue?: AgentIssue;
}

export function checkVmAgent(vm: VmFacts): AgentCheck {
  if (!vm.agentChecked) return { ok: true, checked: false };
  if (!vm.agentVersion) {
    if (vm.powerState !== 'running')
      return { ok: true, checked: true, severity: 'warning', issue: 'not-running' };
    return { ok: false, checked: true, severity: 'blocking', issue: 'missing' };
  }
  if (vm.osType === 'Windows' && compareVersions(vm.agentVersion, MIN_WINDOWS_AGENT) < 0) {
    return { ok: false, checked: true, severity: 'blocking', issue: 'outdated' };
  }
  return { ok: true, checked: true };
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

/**
 * Rule 5: the consistency a backup of the VM is expected to give, and the power state it follows
 * from: a running VM most likely gives an application-consistent point, a stopped one a
 * crash-consistent one.
 */
export interface ExpectedConsistency {
  kind: 'application-consistent' | 'crash-consistent';
  powerState: PowerState;
}

export function expectedConsistency(vm: Pick<VmFacts, 'powerState' | 'osType'>): ExpectedConsistency {
  return {
    kind: vm.powerState === 'running' ? 'application-consistent' : 'crash-consistent',
    powerState: vm.powerState,
  };
}
