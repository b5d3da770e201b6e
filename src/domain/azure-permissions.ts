/**
 * What the bot's Azure identity must be allowed to do for each chat command, in Azure RBAC actions,
 * and the built-in role that grants them (Azure Backup's RBAC documentation, "Use Azure role-based
 * access control to manage Azure Backup recovery points"). Pure: `check:azure` reads the identity's
 * permissions (Microsoft.Authorization/permissions) and asks `allows`.
 */
export type PermissionScope =
  | 'vault'
  | 'vm-resource-groups'
  | 'vault-resource-group'
  /** RESTORE_STAGING_STORAGE_ACCOUNT: where the vault stages restored data. */
  | 'restore-staging-account'
  /** The virtual network of RESTORE_SUBNET, which restored VMs join. */
  | 'restore-virtual-network';

export interface CommandRequirement {
  command: string;
  /** Where the actions are needed. */
  scope: PermissionScope;
  actions: string[];
  /** The least built-in role that grants them at that scope. */
  role: string;
}

const RS = 'Microsoft.RecoveryServices/Vaults';
const ITEMS = `${RS}/backupFabrics/protectionContainers/protectedItems`;

export const COMMAND_REQUIREMENTS: CommandRequirement[] = [
  {
    command: 'status of jobs, job, policies, recovery points, list vms',
    scope: 'vault',
    actions: [
      `${RS}/read`,
      `${RS}/backupJobs/read`,
      `${RS}/backupPolicies/read`,
      `${RS}/backupProtectedItems/read`,
      `${ITEMS}/recoveryPoints/read`,
    ],
    role: 'Backup Reader on the vault',
  },
  {
    command: 'list vms (VM facts and agents)',
    scope: 'vm-resource-groups',
    actions: ['Microsoft.Compute/virtualMachines/read'],
    role: 'Reader on the VMs’ resource groups',
  },
  {
    command: 'backup <vm> now',
    scope: 'vault',
    actions: [`${ITEMS}/backup/action`, `${RS}/backupOperations/read`],
    role: 'Backup Operator on the vault',
  },
  {
    command: 'enable backup for <vm>',
    scope: 'vault',
    actions: [
      `${ITEMS}/write`,
      `${RS}/backupFabrics/refreshContainers/action`,
      `${RS}/backupProtectableItems/read`,
    ],
    role: 'Backup Contributor on the vault',
  },
  {
    command: 'enable backup for <vm> (the VM side)',
    scope: 'vm-resource-groups',
    actions: ['Microsoft.Compute/virtualMachines/write'],
    role: 'Virtual Machine Contributor on the VMs’ resource groups',
  },
  {
    command: 'create policy',
    scope: 'vault',
    actions: [`${RS}/backupPolicies/write`],
    role: 'Backup Contributor on the vault',
  },
  {
    command: 'stop backup for <vm> [and delete data]',
    scope: 'vault',
    actions: [`${ITEMS}/write`, `${ITEMS}/delete`],
    role: 'Backup Contributor on the vault',
  },
  {
    command: 'restore <vm> from <point> … (the vault side)',
    scope: 'vault',
    actions: [`${ITEMS}/recoveryPoints/restore/action`, `${RS}/backupOperations/read`],
    role: 'Backup Operator on the vault',
  },
  {
    command: 'restore <vm> from <point> … (new VM, disks, replaced disks)',
    scope: 'vm-resource-groups',
    actions: ['Microsoft.Compute/virtualMachines/write', 'Microsoft.Compute/disks/write'],
    role: 'Virtual Machine Contributor on the VMs’ resource groups',
  },
  {
    // The docs' minimum for restoring managed disks: Storage Account Contributor on the staging
    // ("temporary") account, or a custom role with storageAccounts/write.
    command: 'restore <vm> … (the staging storage account)',
    scope: 'restore-staging-account',
    actions: ['Microsoft.Storage/storageAccounts/read', 'Microsoft.Storage/storageAccounts/write'],
    role: 'Storage Account Contributor on the staging storage account',
  },
  {
    // The docs' custom-role alternative for restoring a VM names exactly these two on the network.
    command: 'restore <vm> … as new vm (the subnet it joins)',
    scope: 'restore-virtual-network',
    actions: [
      'Microsoft.Network/virtualNetworks/read',
      'Microsoft.Network/virtualNetworks/subnets/join/action',
    ],
    role: 'Network Contributor on the restore subnet’s virtual network',
  },
  {
    command: 'create vault',
    scope: 'vault-resource-group',
    actions: ['Microsoft.RecoveryServices/Vaults/write'],
    role: 'Backup Contributor on the resource group',
  },
  {
    command: 'delete resource group',
    scope: 'vault-resource-group',
    actions: ['Microsoft.Resources/subscriptions/resourceGroups/delete'],
    role: 'Contributor on the resource group',
  },
];

/** One entry of Microsoft.Authorization/permissions (the identity's effective permissions at a scope). */
export interface PermissionSet {
  actions: string[];
  notActions: string[];
}

/**
 * Whether the permissions allow `action`: some entry has an action pattern that matches it (`*` is
 * a wildcard; Azure compares case-insensitively) and no notAction of that entry matches it.
 */
export function allows(permissions: PermissionSet[], action: string): boolean {
  return permissions.some(
    (p) => p.actions.some((a) => matches(a, action)) && !p.notActions.some((n) => matches(n, action)),
  );
}

function matches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(action);
}
