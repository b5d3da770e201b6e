/**
 * Names in the sandbox's seeded world that the rest of the product relies on as defaults
 * (DESIGN.md section 7). The world itself is built in seed-world.ts.
 */
export const SANDBOX_SUBSCRIPTION_ID = '5a4d8b1e-0000-4000-8000-00000000b0c5';
/** Display names `GET /subscriptions` answers: a vault reference may name its subscription by either. */
export const SANDBOX_SUBSCRIPTION_NAME = 'Chat-ops sandbox';
/**
 * A second subscription, with a vault of its own in eastus and its own VMs. The bot
 * uses it only when AZURE_SUBSCRIPTION_IDS names it.
 */
export const SANDBOX_SECOND_SUBSCRIPTION = {
  id: '5a4d8b1e-0000-4000-8000-0000000000e2',
  displayName: 'Contoso East',
  vaultResourceGroup: 'rg-backup-east',
  vaultName: 'rsv-eastus',
  region: 'eastus',
  /** Its vault's soft-delete retention (a vault setting of 14–180 days). */
  softDeleteRetentionDays: 30,
} as const;
export const SANDBOX_TENANT_ID = '5a4d8b1e-0000-4000-8000-0000000a11ce';
/** Resource group and vault the bot uses by default in sandbox mode. */
export const SANDBOX_VAULT_RESOURCE_GROUP = 'rg-chatops';
export const SANDBOX_VAULT_NAME = 'rsv-westus';
/** Region that owns the Extended Zone `losangeles`. */
export const SANDBOX_REGION = 'westus';
export const SANDBOX_EXTENDED_ZONE = 'losangeles';
/** Restores stage through this storage account and put new VMs on this subnet (`rg/vnet/subnet`). */
export const SANDBOX_STAGING_ACCOUNT = {
  resourceGroup: SANDBOX_VAULT_RESOURCE_GROUP,
  name: 'stchatopsrestore',
};
export const SANDBOX_RESTORE_SUBNET = 'rg-workloads/vnet-westus/default';
/** The second subscription's, in its region (eastus): restores of its VMs go through these. */
export const SANDBOX_SECOND_STAGING_ACCOUNT = {
  resourceGroup: 'rg-backup-east',
  name: 'stchatopsrestoreeast',
};
export const SANDBOX_SECOND_RESTORE_SUBNET = {
  resourceGroup: 'rg-apps-east',
  vnet: 'vnet-eastus',
  subnet: 'default',
};

/**
 * The restore settings' sandbox defaults: the first subscription's targets by name, the second's by
 * id (an id names its subscription, so the first subscription's restores never look for them).
 */
export const SANDBOX_RESTORE_TARGETS = {
  stagingStorageAccounts: [
    `${SANDBOX_STAGING_ACCOUNT.resourceGroup}/${SANDBOX_STAGING_ACCOUNT.name}`,
    `/subscriptions/${SANDBOX_SECOND_SUBSCRIPTION.id}/resourceGroups/${SANDBOX_SECOND_STAGING_ACCOUNT.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${SANDBOX_SECOND_STAGING_ACCOUNT.name}`,
  ],
  subnets: [
    SANDBOX_RESTORE_SUBNET,
    `/subscriptions/${SANDBOX_SECOND_SUBSCRIPTION.id}/resourceGroups/${SANDBOX_SECOND_RESTORE_SUBNET.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${SANDBOX_SECOND_RESTORE_SUBNET.vnet}/subnets/${SANDBOX_SECOND_RESTORE_SUBNET.subnet}`,
  ],
} as const;

/**
 * Chat users of the local web chat's "who am I" picker, which exists only with the sandbox.
 * Their ids are the immutable ids roles are keyed by.
 */
export const SANDBOX_CHAT_USERS = [
  { id: 'web:alice', name: 'Alice (operator)', roles: ['operator'] },
  { id: 'web:bob', name: 'Bob (approver)', roles: ['operator', 'approver'] },
  { id: 'web:carol', name: 'Carol (reader)', roles: ['reader'] },
] as const;

/** `AZURE_SUBSCRIPTION_IDS` naming both sandbox subscriptions, each with its vault (README, tests). */
export const SANDBOX_BOTH_SUBSCRIPTIONS = [
  `${SANDBOX_SUBSCRIPTION_ID}:${SANDBOX_VAULT_RESOURCE_GROUP}/${SANDBOX_VAULT_NAME}`,
  `${SANDBOX_SECOND_SUBSCRIPTION.id}:${SANDBOX_SECOND_SUBSCRIPTION.vaultResourceGroup}/${SANDBOX_SECOND_SUBSCRIPTION.vaultName}`,
].join(',');
