/**
 * What a user can do next after an error, as data: the domain and the Azure layer say *what*, and
 * chat (src/chat/error-view.ts) says it in words and turns commands into buttons.
 */
export type Suggestion =
  /** A command to run exactly as written: shown as a button. */
  | { kind: 'command'; text: string; /** A button only: another suggestion already says it. */ quiet?: true }
  /** A command to complete: `<…>` marks what the user fills in; shown as words only. */
  | { kind: 'template'; text: string }
  /** Names to pick from: the closest to what was typed (`near`), or all there are. */
  | { kind: 'choose'; what: ChoiceKind; names: string[]; near: boolean }
  /** Configuration to check or set, with what it should hold when that is known. */
  | { kind: 'setting'; name: string; expect?: string }
  /** Advice that is no command: a known fact with its values (error-view has the words). */
  | { kind: 'fact'; fact: FactId; values?: Record<string, string> };

export type ChoiceKind = 'vm' | 'policy' | 'subnet' | 'recovery point' | 'vault' | 'subscription';

export type FactId =
  /** Azure said to slow down or is briefly unavailable. */
  | 'retry-later'
  /** values.rule: what a valid name looks like. */
  | 'name-rule'
  | 'region-name'
  /** values.os, values.minimum (Windows). */
  | 'install-agent'
  /** The bot's identity lacks an Azure role. */
  | 'grant-backup-roles'
  | 'check-identity'
  | 'configure-identity'
  | 'check-network'
  /** Azure Backup could not reach the agent inside the VM. */
  | 'agent-unreachable'
  | 'check-subscription'
  /** Another vault may already protect the VM; discovery can lag. */
  | 'vm-in-other-vault'
  /** values.jobId when known: wait for a running snapshot to finish. */
  | 'wait-for-snapshot'
  /** values.region: the Extended Zone's parent region holds the vault. */
  | 'vault-in-parent-region'
  | 'resource-group-leftovers'
  /** values.form: how a reference is written. */
  | 'reference-form'
  | 'operation-may-complete';

export function command(text: string): Suggestion {
  return { kind: 'command', text };
}

export function template(text: string): Suggestion {
  return { kind: 'template', text };
}

export function fact(id: FactId, values?: Record<string, string>): Suggestion {
  return values ? { kind: 'fact', fact: id, values } : { kind: 'fact', fact: id };
}

/** "Did you mean …": candidates within a small edit distance of the input, closest first. */
export function closestMatches(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return candidates
    .map((c) => ({ c, d: editDistance(needle, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= limit || c.toLowerCase().includes(needle) || needle.includes(c.toLowerCase()))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map(({ c }) => c);
}

/** Damerau–Levenshtein (optimal string alignment): a swapped pair of letters costs 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j]!;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}
