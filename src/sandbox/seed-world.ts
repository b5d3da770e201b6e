import { randomUUID } from 'node:crypto';
import {
  SANDBOX_EXTENDED_ZONE,
  SANDBOX_REGION,
  SANDBOX_SUBSCRIPTION_ID,
  SANDBOX_VAULT_NAME,
  SANDBOX_VAULT_RESOURCE_GROUP,
} from './seed-ids.js';
import type { SandboxJob, SandboxVm } from './world.js';
import { SandboxWorld } from './world.js';

const DAY = 86_400_000;
const MIN = 60_000;

/**
 * The seeded world (DESIGN.md section 7): a region owning an Extended Zone, a vault with a standard
 * and an Enhanced policy, and VMs covering the interesting cases.
 */
export function seedWorld(now: Date): SandboxWorld {
  const w = new SandboxWorld(SANDBOX_SUBSCRIPTION_ID);
  for (const [name, location] of [
    [SANDBOX_VAULT_RESOURCE_GROUP, SANDBOX_REGION],
    ['rg-workloads', SANDBOX_REGION],
    ['rg-eastus', 'eastus'],
  ] as const) {
    w.resourceGroups.set(name.toLowerCase(), { name, location });
  }

  const vm = (v: Omit<SandboxVm, 'id' | 'vmId' | 'resourceGroup'> & { resourceGroup?: string }): SandboxVm =>
    w.addVm({ vmId: randomUUID(), resourceGroup: 'rg-workloads', ...v });
  const myVm = vm({
    name: 'myVM',
    location: SANDBOX_REGION,
    extendedZone: SANDBOX_EXTENDED_ZONE,
    osType: 'Windows',
    osName: 'Windows Server 2022 Datacenter',
    osVersion: '10.0.20348',
    vmSize: 'Standard_D2s_v3',
    powerState: 'running',
    agentVersion: '2.7.41491.1102',
  });
  const ezLinux = vm({
    name: 'ez-linux-01',
    location: SANDBOX_REGION,
    extendedZone: SANDBOX_EXTENDED_ZONE,
    osType: 'Linux',
    osName: 'ubuntu',
    osVersion: '22.04',
    vmSize: 'Standard_D2s_v3',
    powerState: 'running',
    agentVersion: '2.10.0.8',
  });
  const others = [
    vm({
      name: 'web-linux-01',
      location: SANDBOX_REGION,
      osType: 'Linux',
      osName: 'ubuntu',
      osVersion: '22.04',
      vmSize: 'Standard_B2s',
      powerState: 'deallocated',
      agentVersion: '2.10.0.8',
    }),
    vm({
      name: 'legacy-win-01',
      location: SANDBOX_REGION,
      osType: 'Windows',
      osName: 'Windows Server 2016 Datacenter',
      osVersion: '10.0.14393',
      vmSize: 'Standard_D2s_v3',
      powerState: 'running',
      agentVersion: '2.6.1198.600',
    }),
    vm({
      name: 'win-noagent-01',
      location: SANDBOX_REGION,
      osType: 'Windows',
      osName: 'Windows Server 2019 Datacenter',
      osVersion: '10.0.17763',
      vmSize: 'Standard_D2s_v3',
      powerState: 'running',
    }),
    vm({
      name: 'db-eastus-01',
      resourceGroup: 'rg-eastus',
      location: 'eastus',
      osType: 'Linux',
      osName: 'ubuntu',
      osVersion: '22.04',
      vmSize: 'Standard_E4s_v5',
      powerState: 'running',
      agentVersion: '2.10.0.8',
    }),
  ];
  // Every VM but ez-linux-01 has been discovered: it appears only after a container refresh.
  for (const v of [myVm, ...others]) w.discovered.add(v.id.toLowerCase());
  void ezLinux;

  const vault = w.addVault(SANDBOX_VAULT_RESOURCE_GROUP, SANDBOX_VAULT_NAME, SANDBOX_REGION);
  const vaultKey = w.vaultKey(vault.resourceGroup, vault.name);
  w.policies.set(w.policyKey(vaultKey, 'DefaultPolicy'), {
    vaultKey,
    name: 'DefaultPolicy',
    kind: 'Standard',
    properties: DEFAULT_POLICY,
  });
  w.policies.set(w.policyKey(vaultKey, 'EnhancedPolicy'), {
    vaultKey,
    name: 'EnhancedPolicy',
    kind: 'Enhanced',
    properties: ENHANCED_POLICY,
  });

  w.protectedItems.set(w.itemKey(vaultKey, myVm.id), {
    vaultKey,
    vmResourceId: myVm.id,
    vmName: myVm.name,
    resourceGroup: myVm.resourceGroup,
    containerName: `IaasVMContainer;iaasvmcontainerv2;${myVm.resourceGroup};${myVm.name}`,
    itemName: `VM;iaasvmcontainerv2;${myVm.resourceGroup};${myVm.name}`,
    policyName: 'EnhancedPolicy',
    state: 'Protected',
    protectedItemDataId: '636482643132986882',
  });

  // History: configured ten days ago; scheduled backups since, one failed, one with a warning.
  const t = now.getTime();
  const history: [number, 'ok' | 'snapshot' | 'transfer'][] = [
    [t - 3 * DAY, 'snapshot'],
    [t - 2 * DAY, 'ok'],
    [t - DAY - 4 * 60 * MIN, 'transfer'],
    [t - DAY, 'ok'],
  ];
  w.jobs.push(shortJob(vaultKey, myVm, 'ConfigureBackup', t - 10 * DAY));
  for (const [start, outcome] of history) {
    const job = scheduledBackup(vaultKey, myVm, start, outcome);
    w.jobs.push(job);
    const item = w.protectedItems.get(w.itemKey(vaultKey, myVm.id))!;
    item.lastBackupTime = new Date(start + 8 * MIN).toISOString();
    item.lastBackupStatus =
      outcome === 'ok' ? 'Completed' : outcome === 'transfer' ? 'CompletedWithWarnings' : 'Failed';
    if (outcome === 'ok') {
      const time = new Date(start + 8 * MIN).toISOString();
      w.recoveryPoints.push({
        id: String(20_000_000_000_000 + start / 1000),
        vaultKey,
        vmResourceId: myVm.id,
        time,
        type: 'AppConsistent',
      });
      item.lastRecoveryPoint = time;
    }
  }
  return w;
}

function shortJob(
  vaultKey: string,
  vm: SandboxVm,
  operation: SandboxJob['operation'],
  start: number,
): SandboxJob {
  return {
    id: randomUUID(),
    vaultKey,
    vmName: vm.name,
    vmResourceId: vm.id,
    operation,
    isUserTriggered: true,
    startMs: start,
    endMs: start + 31_000,
    errors: [],
    vmWasRunning: true,
  };
}

function scheduledBackup(
  vaultKey: string,
  vm: SandboxVm,
  start: number,
  outcome: 'ok' | 'snapshot' | 'transfer',
): SandboxJob {
  const snapEnd = start + 8 * MIN;
  const end = outcome === 'snapshot' ? snapEnd : snapEnd + 33 * MIN;
  return {
    id: randomUUID(),
    vaultKey,
    vmName: vm.name,
    vmResourceId: vm.id,
    operation: 'Backup',
    isUserTriggered: false,
    startMs: start,
    endMs: end,
    tasks: {
      snapshot: { status: outcome === 'snapshot' ? 'Failed' : 'Completed', startMs: start, endMs: snapEnd },
      transfer:
        outcome === 'snapshot'
          ? { status: 'Failed' }
          : { status: outcome === 'transfer' ? 'Failed' : 'Completed', startMs: snapEnd, endMs: end },
    },
    errors:
      outcome === 'snapshot'
        ? [
            {
              code: 'ExtensionSnapshotFailedNoNetwork',
              message: 'Snapshot operation failed due to no network connectivity on the virtual machine.',
              recommendations: [
                'Ensure the VM has outbound network access to Azure, then retry the operation.',
              ],
            },
          ]
        : outcome === 'transfer'
          ? [
              {
                code: 'UserErrorTransferDataToVaultFailed',
                message:
                  'Transferring the snapshot to the vault failed. The snapshot is kept and the next backup retries the transfer.',
                recommendations: ['No action needed if the next scheduled backup succeeds.'],
              },
            ]
          : [],
    vmWasRunning: true,
  };
}

const at = (time: string) => `2021-12-17T${time}:00Z`;

const DEFAULT_POLICY = {
  backupManagementType: 'AzureIaasVM',
  policyType: 'V1',
  timeZone: 'UTC',
  instantRpRetentionRangeInDays: 2,
  schedulePolicy: {
    schedulePolicyType: 'SimpleSchedulePolicy',
    scheduleRunFrequency: 'Daily',
    scheduleRunTimes: [at('22:30')],
  },
  retentionPolicy: {
    retentionPolicyType: 'LongTermRetentionPolicy',
    dailySchedule: { retentionTimes: [at('22:30')], retentionDuration: { count: 30, durationType: 'Days' } },
  },
};

const ENHANCED_POLICY = {
  backupManagementType: 'AzureIaasVM',
  policyType: 'V2',
  timeZone: 'UTC',
  instantRpRetentionRangeInDays: 7,
  instantRPDetails: { azureBackupRGNamePrefix: 'AzureBackupRG_westus_' },
  schedulePolicy: {
    schedulePolicyType: 'SimpleSchedulePolicyV2',
    scheduleRunFrequency: 'Hourly',
    hourlySchedule: { interval: 4, scheduleWindowStartTime: at('08:00'), scheduleWindowDuration: 12 },
  },
  retentionPolicy: {
    retentionPolicyType: 'LongTermRetentionPolicy',
    dailySchedule: { retentionTimes: [at('08:00')], retentionDuration: { count: 30, durationType: 'Days' } },
  },
};
