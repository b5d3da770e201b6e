import { assertName } from '../../domain/index.js';

/** A vault named in a command; the resource group, when left out, is the configured one. */
export interface VaultChoice {
  vault: string;
  resourceGroup?: string;
}

const IN_VAULT = /\b(?:in|from|on|of)\s+(?:the\s+)?vault\s+(?:([^\s/]+)\/)?(\S+)/i;

/**
 * "in vault rsv-eastus", "in vault rg-backup/rsv-eastus": for commands that act on one vault, when
 * it is not the default one. Returns what is left of the text once the phrase is taken out.
 */
export function parseVaultPhrase(text: string): { vault?: VaultChoice; rest: string } {
  const m = IN_VAULT.exec(text);
  if (!m) return { rest: text };
  const vault = assertName('vault', m[2]!);
  const resourceGroup = m[1] === undefined ? undefined : assertName('resourceGroup', m[1]);
  return {
    vault: { vault, ...(resourceGroup ? { resourceGroup } : {}) },
    rest: `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim(),
  };
}
