import { formatTime } from './card-format.js';
import type {
  ApprovalView,
  ErrorView,
  HelpView,
  MessageView,
  ResourceGroupView,
  VaultListView,
  VaultView,
} from './views.js';

/** Help, messages, errors, vaults, resource groups and approvals. */
export function presentHelp(v: HelpView) {
  return {
    title: 'What I can do',
    role: `Your role: ${v.role || 'none'}. Commands are plain English; names are case-insensitive.`,
    commands: v.commands.map((c) => ({
      title: c.title,
      summary: c.summary,
      examples: c.examples.map((e) => `\`${e}\``).join('  ·  '),
    })),
  };
}

export function presentMessage(v: MessageView) {
  return {
    title: `${{ info: 'ℹ️', success: '✅', warning: '⚠️' }[v.tone]} ${v.title}`,
    text: v.text,
    facts: v.facts ?? [],
    actions: (v.actions ?? []).map((a) => ({ title: a.title, verb: a.verb, data: a.data })),
  };
}

export function presentError(v: ErrorView) {
  return {
    title: `⚠️ ${v.title}`,
    message: v.message,
    hint: v.hint ?? '',
    code: `Code: ${v.code}`,
    suggestions: (v.suggestions ?? []).slice(0, 5).map((s) => ({ title: s, text: s })),
  };
}

export function presentVault(v: VaultView) {
  return {
    title: v.created ? `Vault created · ${v.vault.name}` : `Vault ${v.vault.name} already exists`,
    facts: [
      { title: 'Region', value: v.vault.location },
      { title: 'Resource group', value: v.vault.resourceGroup },
      { title: 'Subscription', value: v.vault.subscriptionId },
      { title: 'State', value: v.vault.provisioningState ?? '—' },
    ],
    text: `It protects VMs of ${v.vault.location} and of its Extended Zones, in this subscription.`,
  };
}

export function presentVaultList(v: VaultListView) {
  return {
    title: 'Recovery Services vaults',
    summary: `${v.vaults.length} vault${v.vaults.length === 1 ? '' : 's'}; the default is ${v.defaultVault}.`,
    vaults: v.vaults.slice(0, 30).map((x) => ({
      title: `${x.name}${x.name === v.defaultVault ? ' (default)' : ''}`,
      value: `${x.location} · ${x.resourceGroup}`,
    })),
  };
}

export function presentResourceGroup(v: ResourceGroupView) {
  return {
    title: `Resource group ${v.group.name}`,
    summary: `${v.group.location} · ${v.group.resources.length} resource${v.group.resources.length === 1 ? '' : 's'}`,
    resources: v.group.resources.slice(0, 30).map((r) => ({ title: r.name, value: r.type })),
  };
}

export function presentApproval(v: ApprovalView) {
  const open = v.state === 'requested';
  return {
    title: `🔐 Approval ${open ? 'needed' : v.state}: ${v.action}`,
    facts: [
      { title: 'Target', value: v.target },
      { title: 'Asked by', value: `${v.requestedBy}, ${formatTime(v.requestedAt)}` },
      { title: open ? 'Expires' : 'Expired/expires', value: formatTime(v.expiresAt) },
      ...(v.decidedBy ? [{ title: 'Decided by', value: `${v.decidedBy}, ${formatTime(v.decidedAt)}` }] : []),
      ...(v.outcome ? [{ title: 'Outcome', value: v.outcome }] : []),
      { title: 'Request', value: v.id },
    ],
    consequences: v.consequences,
    open,
    confirmPrompt: `Type ${v.confirmName} to approve`,
    approvalId: v.id,
  };
}
