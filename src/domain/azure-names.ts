import { AppError } from './errors.js';
import { fact } from './suggestions.js';

/** Naming rules of the Azure resources the bot creates or looks up, checked before any call. */
interface NameRule {
  what: string;
  pattern: RegExp;
  rule: string;
}

const RULES = {
  vault: {
    what: 'vault name',
    pattern: /^[A-Za-z][A-Za-z0-9-]{1,49}$/,
    rule: '2–50 characters: letters, digits and hyphens, starting with a letter',
  },
  policy: {
    what: 'policy name',
    pattern: /^[A-Za-z][A-Za-z0-9-]{2,149}$/,
    rule: '3–150 characters: letters, digits and hyphens, starting with a letter',
  },
  resourceGroup: {
    what: 'resource group name',
    pattern: /^[-\w.()]{0,89}[-\w()]$/,
    rule: '1–90 characters: letters, digits, underscores, hyphens, periods and parentheses, not ending in a period',
  },
  vm: {
    what: 'VM name',
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    rule: '1–64 characters: letters, digits, hyphens, underscores and periods',
  },
} satisfies Record<string, NameRule>;

export type NameKind = keyof typeof RULES;

export function checkName(kind: NameKind, value: string): string | undefined {
  const r = RULES[kind];
  if (r.pattern.test(value) && !(kind === 'vm' && /[.-]$/.test(value))) return undefined;
  return `"${truncate(value)}" is not a valid ${r.what} (${r.rule}).`;
}

export function assertName(kind: NameKind, value: string): string {
  const problem = checkName(kind, value);
  if (problem)
    throw new AppError(`validation.${kind}_name`, problem, {
      suggestions: [fact('name-rule', { rule: RULES[kind].rule })],
    });
  return value;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
