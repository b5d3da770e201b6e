import type { AzureClients } from './azure-clients.js';
import type { FollowSettings } from './operation-follower.js';

/** What every part of the backup service shares: one subscription's clients and timings. */
export interface AzureScope {
  clients: AzureClients;
  subscriptionId: string;
  /** The ARM endpoint the clients use, for the requests no client method covers (permissions). */
  endpoint: string;
  follow: FollowSettings;
  /** Poll interval of the SDK's own pollers (vault create, resource group delete). */
  lroPollIntervalMs?: number;
  now: () => Date;
}

/** The vault filter every Azure Backup list call of the bot uses: VMs only. */
export const IAAS_FILTER = "backupManagementType eq 'AzureIaasVM'";
