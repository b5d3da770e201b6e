import { presentActions } from './card-actions.js';
import { plural, shownOf } from './card-format.js';
import type {
  ErrorView,
  HelpView,
  MessageView,
  ResourceGroupView,
  VaultListView,
  VaultView,
} from './views.js';

/** Help, messages, errors, vaults and resource groups: short cards, mostly facts. */
export const VAULT_LIST_ROWS = 30;
export const RESOURCE_ROWS = 30;
export const MAX_SUGGESTIONS = 5;

export function presentHelp(v: HelpView) {
  return {
    title: 'What I can do',
    role: `Your role: ${v.role || 'none'}. Commands are plain English; names are case-insensitive.`,
    commands: v.commands.map((c) => ({
      title: c.title,
      summary: c.summary,
      usage: c.usage ? `Type: ${c.usage}` : '',
      // Card markdown has no inline code; quotes read as "type this".
      examples: c.examples.map((e) => `“${e}”`).join('  ·  '),
    })),
  };
}

const TONE = {
  info: { icon: 'ℹ️', color: 'Default' },
  success: { icon: '✅', color: 'Good' },
  warning: { icon: '⚠️', color: 'Warning' },
} as const;

export function presentMessage(v: MessageView) {
  return {
    title: `${TONE[v.tone].icon} ${v.title}`,
    color: TONE[v.tone].color,
    text: v.text,
    facts: v.facts ?? [],
    actions: presentActions(v.actions ?? []),
  };
}

export function presentError(v: ErrorView) {
  return {
    title: `⚠️ ${v.title}`,
    message: v.message,
    hint: v.hint ?? '',
    code: `Code: ${v.code}`,
    // A suggestion runs as if typed: "did you mean" never offers a destructive command.
    actions: presentActions(
      (v.suggestions ?? [])
        .slice(0, MAX_SUGGESTIONS)
        .map((s) => ({ verb: 'command.run', title: s, data: { text: s } })),
    ),
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
    // Rules 1 and 4: which VMs this vault can take.
    text: `It protects VMs of ${v.vault.location} and of its Extended Zones, in this subscription.`,
  };
}

export function presentVaultList(v: VaultListView) {
  const n = v.vaults.length;
  return {
    title: 'Recovery Services vaults',
    summary: [`${plural(n, 'vault')}; the default is ${v.defaultVault}.`, shownOf(n, VAULT_LIST_ROWS)]
      .filter(Boolean)
      .join(' '),
    vaults: v.vaults.slice(0, VAULT_LIST_ROWS).map((x) => ({
      title: `${x.name}${x.name === v.defaultVault ? ' (default)' : ''}`,
      value: `${x.location} · ${x.resourceGroup}`,
    })),
  };
}

export function presentResourceGroup(v: ResourceGroupView) {
  const n = v.group.resources.length;
  return {
    title: `Resource group ${v.group.name}`,
    summary: [`${v.group.location} · ${plural(n, 'resource')}.`, shownOf(n, RESOURCE_ROWS)]
      .filter(Boolean)
      .join(' '),
    resources: v.group.resources.slice(0, RESOURCE_ROWS).map((r) => ({ title: r.name, value: r.type })),
  };
}
