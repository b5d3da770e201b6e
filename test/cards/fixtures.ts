import type { View } from '../../src/cards/views.js';
import type { BackupJob, JobStatus, Policy, TaskStatus, VmStatus } from '../../src/domain/index.js';

/** Realistic views of every kind, for the renderer tests. */
export const AS_OF = '2026-11-22T10:20:00.000Z';

export function job(
  snapshot: TaskStatus,
  transfer: TaskStatus,
  status: JobStatus,
  extra: Partial<BackupJob> = {},
): BackupJob {
  return {
    id: '3f2b7c1e-0d4a-4e8b-9c61-2a5d7e9f0b13',
    vaultName: 'rsv-westus',
    vmName: 'myVM',
    operation: 'Backup',
    status,
    azureStatus: status,
    isUserTriggered: true,
    startTime: '2026-11-22T10:00:00.000Z',
    durationMs: 20 * 60_000,
    phases: {
      snapshot: {
        name: 'Take Snapshot',
        status: snapshot,
        startTime: '2026-11-22T10:00:00.000Z',
        ...(snapshot === 'InProgress' ? {} : { endTime: '2026-11-22T10:08:00.000Z', durationMs: 8 * 60_000 }),
      },
      transfer: {
        name: 'Transfer data to vault',
        status: transfer,
        ...(transfer === 'NotStarted' || transfer === 'Skipped'
          ? {}
          : { startTime: '2026-11-22T10:08:00.000Z' }),
        ...(transfer === 'Completed' || transfer === 'Failed'
          ? { endTime: '2026-11-22T10:41:00.000Z', durationMs: 33 * 60_000 }
          : {}),
      },
    },
    errors: [],
    ...extra,
  };
}

const vm = (over: Partial<VmStatus>): VmStatus => ({
  id: '/subscriptions/s/resourceGroups/rg-workloads/providers/Microsoft.Compute/virtualMachines/myVM',
  name: 'myVM',
  subscriptionId: 's',
  resourceGroup: 'rg-workloads',
  location: 'westus',
  osType: 'Windows',
  powerState: 'running',
  agentVersion: '2.7.41491.1102',
  protection: { state: 'NotProtected' },
  eligibility: { eligible: true },
  agent: { ok: true },
  ...over,
});

export const VMS: VmStatus[] = [
  vm({
    extendedZone: 'losangeles',
    protection: {
      state: 'Protected',
      policyName: 'EnhancedPolicy',
      policyKind: 'Enhanced',
      lastBackupTime: '2026-11-21T08:08:00Z',
      lastBackupStatus: 'Completed',
    },
  }),
  vm({
    name: 'web-linux-01',
    osType: 'Linux',
    powerState: 'deallocated',
    agentVersion: undefined,
    agent: {
      ok: true,
      severity: 'warning',
      problem: 'web-linux-01 is not running, so its VM agent cannot be checked.',
      fix: 'Install walinuxagent.',
    },
  }),
  vm({
    name: 'legacy-win-01',
    agentVersion: '2.6.1198.600',
    agent: { ok: false, severity: 'blocking', problem: 'Agent too old.', fix: 'Update it.' },
  }),
  vm({
    name: 'db-eastus-01',
    location: 'eastus',
    eligibility: { eligible: false, reason: 'In region eastus; vault rsv-westus is in westus.' },
  }),
];

export const ENHANCED: Policy = {
  id: '/x/EnhancedPolicy',
  name: 'EnhancedPolicy',
  kind: 'Enhanced',
  schedule: { frequency: 'Hourly', intervalHours: 4, windowStartTime: '08:00', windowDurationHours: 12 },
  instantRestoreDays: 7,
  retention: { dailyDays: 30, weeklyWeeks: 12, weeklyDays: ['Sunday'] },
  timeZone: 'UTC',
  protectedItemsCount: 1,
  restorePointResourceGroupPrefix: 'AzureBackupRG_westus_',
};
const STANDARD: Policy = {
  ...ENHANCED,
  id: '/x/DefaultPolicy',
  name: 'DefaultPolicy',
  kind: 'Standard',
  schedule: { frequency: 'Weekly', days: ['Monday', 'Thursday'], time: '01:00' },
  instantRestoreDays: 2,
};

export const ALL_VIEWS: View[] = [
  {
    kind: 'help',
    role: 'reader, operator',
    commands: [
      { id: 'backup.now', title: 'Back up now', summary: 'Starts a backup.', examples: ['backup myVM now'] },
    ],
  },
  {
    kind: 'message',
    tone: 'warning',
    title: 'Approval required',
    text: 'Nothing was done.',
    facts: [{ title: 'VM', value: 'myVM' }],
    actions: [{ verb: 'jobs.list', title: 'Jobs', data: { filter: 'failed' } }],
  },
  {
    kind: 'error',
    title: "I didn't understand that",
    code: 'validation.unknown_command',
    message: 'I don\'t know how to "bakup myVM now".',
    hint: 'Did you mean one of these?',
    suggestions: ['backup myVM now'],
  },
  { kind: 'vm-list', vault: { name: 'rsv-westus', location: 'westus' }, vms: VMS },
  {
    kind: 'vault',
    vault: {
      id: '/v',
      name: 'rsv-westus',
      resourceGroup: 'rg-chatops',
      subscriptionId: 's',
      location: 'westus',
      provisioningState: 'Succeeded',
    },
    created: true,
  },
  {
    kind: 'vault-list',
    vaults: [
      { id: '/v', name: 'rsv-westus', resourceGroup: 'rg-chatops', subscriptionId: 's', location: 'westus' },
    ],
    defaultVault: 'rsv-westus',
  },
  { kind: 'policy-list', vaultName: 'rsv-westus', policies: [ENHANCED, STANDARD] },
  { kind: 'policy', vaultName: 'rsv-westus', policy: ENHANCED, created: true },
  {
    kind: 'enable-backup',
    vaultName: 'rsv-westus',
    result: {
      vm: VMS[1]!,
      policy: ENHANCED,
      jobId: 'j-1',
      alreadyProtected: false,
      consistency: {
        kind: 'crash-consistent',
        why: 'The VM is deallocated, so the snapshot will be crash-consistent.',
      },
    },
  },
  {
    kind: 'job',
    job: job('InProgress', 'NotStarted', 'InProgress'),
    asOf: AS_OF,
    retainUntil: '2026-12-22',
    consistency: 'Application-consistent expected.',
    portalUrl: 'https://portal.azure.com/#@/resource/x/backupJobs',
  },
  {
    kind: 'job-list',
    vaultName: 'rsv-westus',
    description: 'All jobs',
    jobs: [
      job('Completed', 'Completed', 'Completed'),
      { ...job('Completed', 'InProgress', 'InProgress'), phases: undefined },
    ],
    asOf: AS_OF,
  },
  {
    kind: 'recovery-points',
    vmName: 'myVM',
    vaultName: 'rsv-westus',
    points: [
      {
        id: '1',
        time: '2026-11-21T08:08:00Z',
        consistency: 'AppConsistent',
        tiers: [
          { type: 'InstantRP', status: 'Valid' },
          { type: 'HardenedRP', status: 'Valid' },
        ],
        extendedZone: 'losangeles',
      },
    ],
  },
  {
    kind: 'stop-backup',
    vaultName: 'rsv-westus',
    result: { vmName: 'myVM', deletedData: true, jobId: 'j-2' },
  },
  {
    kind: 'resource-group',
    group: {
      name: 'rg-test',
      location: 'westus',
      resources: [{ name: 'vm1', type: 'Microsoft.Compute/virtualMachines' }],
    },
  },
  {
    kind: 'approval',
    id: 'a1b2c3',
    state: 'requested',
    action: 'Stop backup and delete data',
    target: 'myVM',
    requestedBy: 'Alice',
    requestedAt: '2026-11-22T10:00:00Z',
    expiresAt: '2026-11-22T11:00:00Z',
    consequences: ['2 recovery points are deleted.', 'Soft delete keeps them 14 more days.'],
    confirmName: 'myVM',
  },
];
