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

/** The phrases again, as typed (for a button that runs the command's next step with the same target). */
export function targetWords(vault: VaultChoice | undefined, subscription: string | undefined): string {
  const v = vault ? ` in vault ${vault.resourceGroup ? `${vault.resourceGroup}/` : ''}${vault.vault}` : '';
  return `${v}${subscription ? ` in subscription "${subscription}"` : ''}`;
}

/** A service target said again as typed: the vault (when named) and the subscription. */
export function targetWordsOf(target: VaultTarget | undefined): string {
  const vault = target?.vault
    ? { vault: target.vault, ...(target.resourceGroup ? { resourceGroup: target.resourceGroup } : {}) }
    : undefined;
  return targetWords(vault, target?.subscription);
}
