import type { BackupService, VaultTarget } from '../azure/backup-service.js';
import { agentProblemWords } from '../cards/protection-words.js';
import type { CommandRequirement, PermissionSet, Vault } from '../domain/index.js';
import { COMMAND_REQUIREMENTS, allows, isAppError } from '../domain/index.js';
import { virtualNetworkIdOf } from '../azure/restore-request.js';

/** One read the bot depends on, tried. */
export interface PreflightCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Whether a chat command would work with the identity's permissions, and what to grant if not. */
export interface CommandVerdict {
  command: string;
  ok: boolean;
  /** `action at scope` lines that are not allowed. */
  missing: string[];
  role: string;
}

export interface PreflightReport {
  checks: PreflightCheck[];
  commands: CommandVerdict[];
  ok: boolean;
}

export interface PreflightInput {
  service: BackupService;
  readPermissions(scope: string): Promise<PermissionSet[]>;
  /** The checked subscription's id, and its default vault (left out: the first subscription's). */
  subscriptionId: string;
  vault?: VaultTarget;
  /** How many VMs' instance views to read for their agents (each is one Compute read). */
  agentSample?: number;
}

/**
 * `check:azure`: read-only, before going live. Reads the default vault, its policies and the VMs
 * with their agents, then the identity's effective permissions on the vault, its resource group
 * and the VMs' resource groups, and says per command whether it would work and which role is missing.
 */
export async function runPreflight(input: PreflightInput): Promise<PreflightReport> {
  const checks: PreflightCheck[] = [];
  const attempt = async <T>(name: string, fn: () => Promise<T>, describe: (v: T) => string) => {
    try {
      const v = await fn();
      checks.push({ name, ok: true, detail: describe(v) });
      return v;
    } catch (e) {
      checks.push({ name, ok: false, detail: reason(e) });
      return undefined;
    }
  };

  const vault = await attempt(
    'Read the default vault',
    () => input.service.getVault(input.vault),
    (v: Vault) =>
      `${v.name} in ${v.location}${v.softDelete ? `, soft delete ${v.softDelete.enabled ? `on (${v.softDelete.retentionDays} days)` : 'off'}` : ''}`,
  );
  await attempt(
    'List the backup policies',
    () => input.service.listPolicies(input.vault),
    (ps) =>
      `${ps.length} (${ps.filter((p) => p.kind === 'Enhanced').length} Enhanced, which Extended Zone VMs need)`,
  );
  const listed = await attempt(
    'List the VMs',
    () => input.service.listVms(input.vault),
    (l) => `${l.vms.length} VMs, ${l.vms.filter((v) => v.eligibility.eligible).length} in the vault's region`,
  );
  if (listed) {
    const sample = listed.vms.filter((v) => v.eligibility.eligible).slice(0, input.agentSample ?? 10);
    await attempt(
      'Read the VM agents',
      async () =>
        Promise.all(sample.map((v) => input.service.getVm(`${v.resourceGroup}/${v.name}`, input.vault))),
      (vms) =>
        vms.length === 0
          ? 'no VM in the vault region'
          : vms
              .map(
                (v) =>
                  `${v.name}: ${agentProblemWords(v) ?? (v.agentVersion ? `agent ${v.agentVersion}` : 'agent not checked')}`,
              )
              .join('\n       '),
    );
  }

  const vaultScope = vault?.id;
  const vaultGroup = vault
    ? `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}`
    : undefined;
  const vmGroups = [...new Set((listed?.vms ?? []).map((v) => v.resourceGroup.toLowerCase()))].map(
    (rg) => `/subscriptions/${input.subscriptionId}/resourceGroups/${rg}`,
  );
  const restoreScopes = await restoreScopesOf(input);
  const permissions = new Map<string, PermissionSet[] | Error>();
  for (const scope of [vaultScope, vaultGroup, ...vmGroups, ...Object.values(restoreScopes)]) {
    if (!scope || scope.startsWith(UNKNOWN) || permissions.has(scope)) continue;
    permissions.set(
      scope,
      await input
        .readPermissions(scope)
        .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
    );
  }
  const scopesOf = (r: CommandRequirement): string[] => {
    switch (r.scope) {
      case 'vault':
        return [vaultScope ?? ''];
      case 'vault-resource-group':
        return [vaultGroup ?? ''];
      case 'vm-resource-groups':
        return vmGroups;
      default:
        return [restoreScopes[r.scope]];
    }
  };
  const commands = COMMAND_REQUIREMENTS.map((r): CommandVerdict => {
    const missing: string[] = [];
    for (const scope of scopesOf(r)) {
      if (scope.startsWith(UNKNOWN)) {
        missing.push(scope);
        continue;
      }
      const held = permissions.get(scope);
      if (!scope || !held) {
        missing.push(`(scope unknown: ${r.scope}, since a read above failed)`);
        continue;
      }
      if (held instanceof Error) {
        missing.push(`(permissions on ${scope} unreadable: ${reason(held)})`);
        continue;
      }
      for (const a of r.actions) if (!allows(held, a)) missing.push(`${a} on ${scope}`);
    }
    return { command: r.command, ok: missing.length === 0, missing, role: r.role };
  });
  return { checks, commands, ok: checks.every((c) => c.ok) && commands.every((c) => c.ok) };
}

/** The report as a person reads it in a terminal. */
export function formatPreflight(r: PreflightReport): string {
  const lines = ['Reads:'];
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  lines.push('', 'Commands:');
  for (const c of r.commands) {
    lines.push(`  ${c.ok ? 'works        ' : 'does not work'} ${c.command}`);
    if (!c.ok) {
      for (const m of c.missing.slice(0, 6)) lines.push(`      missing: ${m}`);
      if (c.missing.length > 6) lines.push(`      … and ${c.missing.length - 6} more`);
      lines.push(`      grant: ${c.role}`);
    }
  }
  lines.push('', r.ok ? 'Every command would work.' : 'Some commands would fail: see above.');
  return lines.join('\n');
}

/** A scope that could not be found: the line says why (a missing setting is a failing check). */
const UNKNOWN = '(';

/**
 * The staging account's id and the subnet's virtual network id a restore from the checked vault
 * would use, chosen as a restore chooses them (BackupService.restoreTargets), or a `(…)` line
 * saying why there is none.
 */
async function restoreScopesOf(
  input: PreflightInput,
): Promise<Record<'restore-staging-account' | 'restore-virtual-network', string>> {
  const unknown = (setting: string, e: unknown) => `${UNKNOWN}${setting}: ${reason(e)})`;
  try {
    const { stagingAccount, subnet } = await input.service.restoreTargets(input.vault);
    return {
      'restore-staging-account':
        typeof stagingAccount === 'string'
          ? stagingAccount
          : unknown('RESTORE_STAGING_STORAGE_ACCOUNT', stagingAccount),
      // Joining a subnet is granted on its virtual network (or the subnet); the network is the
      // scope a Network Contributor assignment usually has.
      'restore-virtual-network':
        typeof subnet === 'string' ? virtualNetworkIdOf(subnet) : unknown('RESTORE_SUBNET', subnet),
    };
  } catch (e) {
    const unread = unknown('restore targets unreadable', e);
    return { 'restore-staging-account': unread, 'restore-virtual-network': unread };
  }
}

function reason(e: unknown): string {
  if (isAppError(e)) return `${e.message}${e.azureCode ? ` (${e.azureCode})` : ''}`;
  return e instanceof Error ? e.message : String(e);
}
