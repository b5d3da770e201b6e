import { randomUUID } from 'node:crypto';
import { SNAPSHOT_FAILED, TRANSFER_FAILED } from './job-errors.js';
import { containerNameOf, itemNameOf } from './protection-json.js';
import {
  SANDBOX_EXTENDED_ZONE,
  SANDBOX_REGION,
  SANDBOX_RESTORE_SUBNET,
  SANDBOX_SECOND_RESTORE_SUBNET,
  SANDBOX_SECOND_STAGING_ACCOUNT,
  SANDBOX_SECOND_SUBSCRIPTION,
  SANDBOX_STAGING_ACCOUNT,
  SANDBOX_SUBSCRIPTION_ID,
  SANDBOX_VAULT_NAME,
  SANDBOX_VAULT_RESOURCE_GROUP,
} from './seed-ids.js';
import type { SandboxJob, SandboxProtectedItem, SandboxVm } from './world.js';
import { SandboxWorld, newSandboxJob } from './world.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Phase lengths of the seeded history, as in a real recorded session (8 min + 33 min). */
const SNAPSHOT = 8 * MIN;
const TRANSFER = 33 * MIN;

type SeedVm = Omit<SandboxVm, 'id' | 'vmId' | 'resourceGroup' | 'location'> & {
  resourceGroup?: string;
  location?: string;
};

/** In westus (Extended Zone losangeles) and eastus: one VM per case the bot must handle. */
const VMS: SeedVm[] = [
  {
    name: 'myVM',
    extendedZone: SANDBOX_EXTENDED_ZONE,
    osType: 'Windows',
    osName: 'Windows Server 2022 Datacenter',
    osVersion: '10.0.20348',
    vmSize: 'Standard_D2s_v3',
    powerState: 'running',
    agentVersion: '2.7.41491.1102',
  },
  {
    name: 'ez-linux-01',
    extendedZone: SANDBOX_EXTENDED_ZONE,
    osType: 'Linux',
    osName: 'ubuntu',
    osVersion: '22.04',
    vmSize: 'Standard_D2s_v3',
    powerState: 'running',
    agentVersion: '2.10.0.8',
  },
  {
    // Deallocated: its agent is installed but reports nothing.
    name: 'web-linux-01',
    osType: 'Linux',
    osName: 'ubuntu',
    osVersion: '22.04',
    vmSize: 'Standard_B2s',
    powerState: 'deallocated',
    agentVersion: '2.10.0.8',
  },
  {
    // Agent older than MIN_WINDOWS_AGENT.
    name: 'legacy-win-01',
    osType: 'Windows',
    osName: 'Windows Server 2016 Datacenter',
    osVersion: '10.0.14393',
    vmSize: 'Standard_D2s_v3',
    powerState: 'running',
    agentVersion: '2.6.1198.600',
  },
  {
    name: 'win-noagent-01',
    osType: 'Windows',
    osName: 'Windows Server 2019 Datacenter',
    osVersion: '10.0.17763',
    vmSize: 'Standard_D2s_v3',
    powerState: 'running',
  },
  {
    name: 'db-eastus-01',
    resourceGroup: 'rg-eastus',
    location: 'eastus',
    osType: 'Linux',
    osName: 'ubuntu',
    osVersion: '22.04',
    vmSize: 'Standard_E4s_v5',
    powerState: 'running',
    agentVersion: '2.10.0.8',
  },
];

/** Azure Backup has not discovered it yet: only a container refresh makes it protectable. */
const UNDISCOVERED = 'ez-linux-01';

/**
 * The seeded world (DESIGN.md section 7): a region owning an Extended Zone, a vault with a standard
 * and an Enhanced policy, VMs covering the interesting cases, and some job history.
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
  for (const v of VMS) {
    const vm = w.addVm({ vmId: randomUUID(), resourceGroup: 'rg-workloads', location: SANDBOX_REGION, ...v });
    if (vm.name !== UNDISCOVERED) w.discovered.add(vm.id.toLowerCase());
  }
  const myVm = w.vmByName('myVM')!;
  // What restores need: a staging account and a subnet for new VMs, in the vault's region.
  w.addStorageAccount(SANDBOX_STAGING_ACCOUNT.resourceGroup, SANDBOX_STAGING_ACCOUNT.name, SANDBOX_REGION);
  const [vnetGroup, vnet, subnet] = SANDBOX_RESTORE_SUBNET.split('/') as [string, string, string];
  w.addVnet(vnetGroup, vnet, SANDBOX_REGION, [subnet]);

  const vaultKey = addVaultWithPolicies(w, SANDBOX_VAULT_RESOURCE_GROUP, SANDBOX_VAULT_NAME, SANDBOX_REGION);
  const item = protect(w, vaultKey, myVm, 'EnhancedPolicy', '636482643132986882');

  // History: configured ten days ago; scheduled backups since: two completed, one whose transfer
  // failed (CompletedWithWarnings) and one whose snapshot failed (Failed).
  const t = now.getTime();
  const history: [number, 'ok' | 'snapshot' | 'transfer'][] = [
    [t - 3 * DAY, 'snapshot'],
    [t - 2 * DAY, 'ok'],
    [t - DAY - 4 * HOUR, 'transfer'],
    [t - DAY, 'ok'],
  ];
  w.jobs.push(shortJob(vaultKey, myVm, 'ConfigureBackup', t - 10 * DAY));
  for (const [start, outcome] of history) {
    w.jobs.push(scheduledBackup(vaultKey, myVm, start, outcome));
    item.lastBackupTime = new Date(start).toISOString();
    item.lastBackupStatus =
      outcome === 'ok' ? 'Completed' : outcome === 'transfer' ? 'CompletedWithWarnings' : 'Failed';
    if (outcome === 'ok') {
      const time = new Date(start + SNAPSHOT).toISOString();
      w.recoveryPoints.push({
        id: w.nextRecoveryPointId(start + SNAPSHOT),
        vaultKey,
        vmResourceId: myVm.id,
        time,
        type: 'AppConsistent',
        ...scheduledPoint(start + SNAPSHOT, 'V2'),
      });
      item.lastRecoveryPoint = time;
    }
  }
  return w;
}

/**
 * The second subscription's world: its own vault in eastus protecting one of its two VMs, with a
 * day-old completed backup, so lists across subscriptions have something to show. Its vault keeps
 * soft-deleted data 30 days, not the default 14, so every purge date the bot states is checked
 * against the vault's own setting.
 */
export function seedSecondWorld(now: Date): SandboxWorld {
  const s = SANDBOX_SECOND_SUBSCRIPTION;
  const w = new SandboxWorld(s.id);
  for (const name of [s.vaultResourceGroup, 'rg-apps-east']) {
    w.resourceGroups.set(name.toLowerCase(), { name, location: s.region });
  }
  const linux = { osName: 'ubuntu', osVersion: '22.04', vmSize: 'Standard_B2s', agentVersion: '2.10.0.8' };
  const app = w.addVm({
    vmId: randomUUID(),
    name: 'app-east-01',
    resourceGroup: 'rg-apps-east',
    location: s.region,
    osType: 'Linux',
    powerState: 'running',
    ...linux,
  });
  const api = w.addVm({
    vmId: randomUUID(),
    name: 'api-east-01',
    resourceGroup: 'rg-apps-east',
    location: s.region,
    osType: 'Linux',
    powerState: 'running',
    ...linux,
  });
  for (const vm of [app, api]) w.discovered.add(vm.id.toLowerCase());
  // Its own restore targets, in its region: a restore never stages across subscriptions.
  w.addStorageAccount(
    SANDBOX_SECOND_STAGING_ACCOUNT.resourceGroup,
    SANDBOX_SECOND_STAGING_ACCOUNT.name,
    s.region,
  );
  const net = SANDBOX_SECOND_RESTORE_SUBNET;
  w.addVnet(net.resourceGroup, net.vnet, s.region, [net.subnet]);
  const vaultKey = addVaultWithPolicies(
    w,
    s.vaultResourceGroup,
    s.vaultName,
    s.region,
    s.softDeleteRetentionDays,
  );
  const item = protect(w, vaultKey, app, 'DefaultPolicy', '736482643132986882');
  const start = now.getTime() - DAY;
  w.jobs.push(shortJob(vaultKey, app, 'ConfigureBackup', start - 5 * DAY));
  w.jobs.push(scheduledBackup(vaultKey, app, start, 'ok'));
  const time = new Date(start + SNAPSHOT).toISOString();
  w.recoveryPoints.push({
    id: w.nextRecoveryPointId(start + SNAPSHOT),
    vaultKey,
    vmResourceId: app.id,
    time,
    type: 'AppConsistent',
    ...scheduledPoint(start + SNAPSHOT, 'V1'),
  });
  Object.assign(item, {
    lastBackupTime: new Date(start).toISOString(),
    lastBackupStatus: 'Completed',
    lastRecoveryPoint: time,
  });
  return w;
}

/** A scheduled point's retention facts: kept 30 days by the daily rule of the policy (of its type). */
function scheduledPoint(atMs: number, policyType: 'V1' | 'V2') {
  return { expiry: new Date(atMs + 30 * DAY).toISOString(), ruleName: 'Daily', policyType };
}

/** A vault with the two policies a new vault has in the portal: DefaultPolicy and EnhancedPolicy. */
function addVaultWithPolicies(
  w: SandboxWorld,
  resourceGroup: string,
  name: string,
  region: string,
  softDeleteRetentionDays?: number,
): string {
  const vault = w.addVault(resourceGroup, name, region, softDeleteRetentionDays);
  const vaultKey = w.vaultKey(vault.resourceGroup, vault.name);
  w.policies.set(w.policyKey(vaultKey, 'DefaultPolicy'), {
    vaultKey,
    name: 'DefaultPolicy',
    kind: 'Standard',
    properties: structuredClone(DEFAULT_POLICY),
  });
  w.policies.set(w.policyKey(vaultKey, 'EnhancedPolicy'), {
    vaultKey,
    name: 'EnhancedPolicy',
    kind: 'Enhanced',
    properties: structuredClone(ENHANCED_POLICY),
  });
  return vaultKey;
}

function protect(
  w: SandboxWorld,
  vaultKey: string,
  vm: SandboxVm,
  policyName: string,
  protectedItemDataId: string,
): SandboxProtectedItem {
  const item: SandboxProtectedItem = {
    vaultKey,
    vmResourceId: vm.id,
    vmName: vm.name,
    resourceGroup: vm.resourceGroup,
    containerName: containerNameOf(vm.resourceGroup, vm.name),
    itemName: itemNameOf(vm.resourceGroup, vm.name),
    policyName,
    state: 'Protected',
    protectedItemDataId,
  };
  w.protectedItems.set(w.itemKey(vaultKey, vm.id), item);
  return item;
}

function shortJob(
  vaultKey: string,
  vm: SandboxVm,
  operation: SandboxJob['operation'],
  start: number,
): SandboxJob {
  return newSandboxJob(operation, vaultKey, vm, start, { endMs: start + 31_000, vmWasRunning: true });
}

function scheduledBackup(
  vaultKey: string,
  vm: SandboxVm,
  start: number,
  outcome: 'ok' | 'snapshot' | 'transfer',
): SandboxJob {
  const snapEnd = start + SNAPSHOT;
  const end = outcome === 'snapshot' ? snapEnd : snapEnd + TRANSFER;
  return newSandboxJob('Backup', vaultKey, vm, start, {
    isUserTriggered: false,
    endMs: end,
    tasks: {
      snapshot: { status: outcome === 'snapshot' ? 'Failed' : 'Completed', startMs: start, endMs: snapEnd },
      transfer:
        outcome === 'snapshot'
          ? { status: 'Failed', startMs: snapEnd, endMs: snapEnd }
          : { status: outcome === 'transfer' ? 'Failed' : 'Completed', startMs: snapEnd, endMs: end },
    },
    errors: outcome === 'snapshot' ? [SNAPSHOT_FAILED] : outcome === 'transfer' ? [TRANSFER_FAILED] : [],
    vmWasRunning: true,
  });
}

const at = (time: string) => `2021-12-17T${time}:00Z`;

/** Standard (V1): daily at 22:30 UTC, instant restore 2 days, daily points 30 days. */
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

/** Enhanced (V2): every 4 hours from 08:00 for 12 hours, instant restore 7 days, daily points 30 days. */
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
