import type { Vault as AzureVault } from '@azure/arm-recoveryservices';
import type { Vault } from '../domain/index.js';
import { normalizeRegion } from '../domain/index.js';
import { DEFAULT_SOFT_DELETE_DAYS, resourceGroupOfId } from './item-mapping.js';

/** Recovery Services vault (SDK) → Vault; undefined when Azure left out its id or name. */
export function fromAzureVault(v: AzureVault, subscriptionId: string): Vault | undefined {
  if (!v.id || !v.name) return undefined;
  return {
    id: v.id,
    name: v.name,
    resourceGroup: resourceGroupOfId(v.id),
    subscriptionId: /\/subscriptions\/([^/]+)/i.exec(v.id)?.[1] ?? subscriptionId,
    location: normalizeRegion(v.location),
    provisioningState: v.properties?.provisioningState,
    ...softDeleteOf(v),
  };
}

function softDeleteOf(v: AzureVault): Pick<Vault, 'softDelete'> {
  const settings = v.properties?.securitySettings?.softDeleteSettings;
  if (!settings?.softDeleteState) return {};
  return {
    softDelete: {
      // AlwaysON, Enabled (or casing variants): on; Disabled: off.
      enabled: !/^disabled$/i.test(settings.softDeleteState),
      retentionDays: settings.softDeleteRetentionPeriodInDays || DEFAULT_SOFT_DELETE_DAYS,
    },
  };
}
