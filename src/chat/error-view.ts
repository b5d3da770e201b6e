import { agentFixWords } from '../cards/protection-words.js';
import type { ErrorView } from '../cards/views.js';
import type { FactId, Suggestion } from '../domain/index.js';
import { isAppError } from '../domain/index.js';

/**
 * Any failure → the card a chat user sees: plain words, the stable code, how to do it right. The
 * domain and the Azure layer say what to do next as structured suggestions; this is where those
 * become words, and commands become buttons.
 */
export function toErrorView(error: unknown): ErrorView {
  if (!isAppError(error)) {
    return {
      kind: 'error',
      title: 'Something went wrong',
      code: 'internal.error',
      message: 'Something unexpected went wrong on my side. It has been logged; please try again.',
    };
  }
  const hint = error.hint ?? suggestionWords(error.suggestions);
  const buttons = [
    ...error.suggestions.flatMap((s) => (s.kind === 'command' ? [s.text] : [])),
    ...unknownCommandGuesses(error.code, error.details.suggestions),
  ];
  return {
    kind: 'error',
    title: titleFor(error.code),
    code: error.code,
    message: error.message,
    ...(hint ? { hint } : {}),
    ...(buttons.length > 0 ? { suggestions: [...new Set(buttons)] } : {}),
  };
}

/** The suggestions said in words, one sentence each; undefined when there are none. */
export function suggestionWords(suggestions: readonly Suggestion[]): string | undefined {
  const words = suggestions.map(wordsOf).filter((w): w is string => w !== undefined);
  return words.length > 0 ? words.join(' ') : undefined;
}

function wordsOf(s: Suggestion): string | undefined {
  switch (s.kind) {
    case 'command':
      return s.quiet ? undefined : `Try "${s.text}".`;
    case 'template':
      return s.text;
    case 'choose':
      if (s.names.length === 0) return undefined;
      return s.near
        ? `Did you mean ${s.names.join(', ')}?`
        : `${CHOICE_LABELS[s.what]} there: ${s.names.join(', ')}.`;
    case 'setting':
      return s.expect ? `Set ${s.name} to ${s.expect}.` : `Check ${s.name}.`;
    case 'fact':
      return FACTS[s.fact](s.values ?? {});
  }
}

const CHOICE_LABELS: Record<Extract<Suggestion, { kind: 'choose' }>['what'], string> = {
  vm: 'VMs',
  policy: 'Policies',
  subnet: 'Subnets',
  'recovery point': 'Newest points',
  vault: 'Vaults',
  subscription: 'Subscriptions',
};

const FACTS: Record<FactId, (v: Record<string, string>) => string> = {
  'retry-later': () => 'Wait a minute and try again.',
  'name-rule': (v) => `Use ${v.rule ?? 'a valid name'}.`,
  'region-name': () => 'Name a region such as westus or eastus.',
  'install-agent': (v) => agentFixWords(v.os, v.minimum ?? 'the newest version'),
  'grant-backup-roles': () =>
    "Ask an Azure administrator to grant the bot's identity the Backup Contributor role on the vault's resource group (and Virtual Machine Contributor on the VMs' resource groups).",
  'check-identity': () =>
    "Check the bot's Azure identity (managed identity, workload identity or service principal settings).",
  'configure-identity': () =>
    'Configure a managed identity, workload identity, AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or sign in with the Azure CLI.',
  'agent-unreachable': () =>
    'Make sure the VM agent is installed, running and up to date, then back up again.',
  'check-network': () => 'Check the network path to Azure Resource Manager and try again.',
  'check-subscription': () => 'Check AZURE_SUBSCRIPTION_IDS (or AZURE_SUBSCRIPTION_ID).',
  'vm-in-other-vault': () =>
    'Check that the VM is not already protected by another vault, then try again in a few minutes.',
  'wait-for-snapshot': (v) =>
    v.jobId
      ? `Follow it with "job ${v.jobId}" and back up again once its snapshot is done.`
      : 'Wait for the running job to finish its snapshot (see "status of jobs"), then back up again.',
  'vault-in-parent-region': (v) =>
    `Create the vault in the parent region${v.region ? ` ${v.region}` : ''} of the Extended Zone.`,
  'resource-group-leftovers': () =>
    'See which resources are left with "delete resource group <name>" (it lists them), and what blocks them in Azure.',
  'reference-form': (v) => `Give it as ${v.form ?? 'a name'} or as its full resource id.`,
  'operation-may-complete': () =>
    'Check "status of jobs" in a few minutes; the operation may still complete.',
};

/** An unknown command's "did you mean" guesses, which chat itself puts in the details. */
function unknownCommandGuesses(code: string, guesses: unknown): string[] {
  if (code !== 'validation.unknown_command' || !Array.isArray(guesses)) return [];
  return guesses.filter((s): s is string => typeof s === 'string');
}

function titleFor(code: string): string {
  if (code === 'validation.unknown_command') return "I didn't understand that";
  if (code.startsWith('validation.')) return 'Please check the command';
  if (code.startsWith('auth.')) return 'Not allowed';
  if (code.startsWith('approval.')) return 'Approval';
  if (code.startsWith('azure.')) return 'Azure could not do it';
  return 'Something went wrong';
}
