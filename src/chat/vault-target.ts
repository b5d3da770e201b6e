import type { VaultTarget } from '../azure/backup-service.js';
import type { VaultChoice } from './phrases/vault-phrase.js';

/**
 * What a command's vault and subscription phrases name, as the backup service takes it; undefined
 * when neither was said (the configured vault, or the VM's own subscription).
 */
export function vaultTarget(
  vault: VaultChoice | string | undefined,
  subscription: string | undefined,
): VaultTarget | undefined {
  const v = typeof vault === 'string' ? { vault } : vault;
  if (!v && !subscription) return undefined;
  return { ...v, ...(subscription ? { subscription } : {}) };
}

/** The phrases again, as typed (for a button that runs a command again with the same target). */
export function targetWords(target: VaultTarget | undefined): string {
  const v = target?.vault
    ? ` in vault ${target.resourceGroup ? `${target.resourceGroup}/` : ''}${target.vault}`
    : '';
  return `${v}${target?.subscription ? ` in subscription "${target.subscription}"` : ''}`;
}
