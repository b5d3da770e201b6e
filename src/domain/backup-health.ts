import type { AgentIssue, OsType } from './vm.js';

/** A VM whose agent stops or threatens its backup: what the check found (cards say it in words). */
export interface AgentFinding {
  vm: string;
  issue: AgentIssue;
  osType?: OsType;
  agentVersion?: string;
}

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
  oldAgents: AgentFinding[];
  /** What could not be read (the rest of the vault is still shown). */
  problems: string[];
}

/** The health of the vaults a digest covers, as of one moment. */
export interface DigestReport {
  asOf: string;
  vaults: VaultHealth[];
}
