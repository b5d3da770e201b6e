import type { ApprovalView, JobAlertView, JobView, View } from '../../src/cards/views.js';
import type {
  BackupJob,
  RecoveryPoint,
  RestoreKind,
  JobStatus,
  Policy,
  TaskStatus,
  Vault,
  VmFacts,
  VmProtection,
  VmStatus,
} from '../../src/domain/index.js';
import {
  RESTORE_KINDS,
  RESTORE_KIND_INFO,
  checkVmAgent,
  deriveJobStatus,
  expectedConsistency,
  validatePolicySpec,
  vmEligibility,
} from '../../src/domain/index.js';

/**
 * Realistic views of every kind for the renderer tests, built with the domain's own rules (agent
 * check, eligibility, policy validation, the portal's status table) so the words on the cards are
 * the words the bot will really show.
 */
export const AS_OF = '2026-11-22T10:20:00.000Z';
export const JOB_ID = '3f2b7c1e-0d4a-4e8b-9c61-2a5d7e9f0b13';

export const VAULT: Vault = {
  id: '/subscriptions/0000/resourceGroups/rg-chatops/providers/Microsoft.RecoveryServices/vaults/rsv-westus',
  name: 'rsv-westus',
  resourceGroup: 'rg-chatops',
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  location: 'westus',
  provisioningState: 'Succeeded',
};

// ---- jobs -------------------------------------------------------------------------------------

/** The portal's table (DESIGN.md rule 7): snapshot, transfer → the status and label shown. */
export const PORTAL_TABLE: [TaskStatus, TaskStatus, JobStatus, string][] = [
  ['Completed', 'InProgress', 'InProgress', 'In progress'],
  ['Completed', 'Skipped', 'Completed', 'Completed'],
  ['Completed', 'Completed', 'Completed', 'Completed'],
  ['Completed', 'Failed', 'CompletedWithWarnings', 'Completed with warning'],
  ['Failed', 'Failed', 'Failed', 'Failed'],
];

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

/**
 * A backup job of myVM started at 10:00 whose phases are in the given states; times follow the
 * recorded session (snapshot 8 min, whole job 41 min). The status comes from the portal's table.
 */
export function job(snapshot: TaskStatus, transfer: TaskStatus, extra: Partial<BackupJob> = {}): BackupJob {
  const status = deriveJobStatus(snapshot, transfer);
  const snapshotEnded = snapshot === 'Completed' || snapshot === 'Failed';
  // A transfer runs only after a completed snapshot; after a failed one it is marked failed unstarted.
  const transferEnded = snapshot === 'Completed' && (transfer === 'Completed' || transfer === 'Failed');
  const transferStarted = transferEnded || (snapshot === 'Completed' && transfer === 'InProgress');
  const final = status !== 'InProgress';
  return {
    id: JOB_ID,
    vaultName: VAULT.name,
    vmName: 'myVM',
    operation: 'Backup',
    status,
    azureStatus: status,
    isUserTriggered: true,
    startTime: at(0),
    ...(final ? { endTime: snapshotEnded && !transferEnded ? at(8) : at(41) } : {}),
    ...(final ? { durationMs: (snapshotEnded && !transferEnded ? 8 : 41) * 60_000 } : {}),
    phases: {
      snapshot: {
        name: 'Take Snapshot',
        status: snapshot,
        ...(snapshot === 'NotStarted' ? {} : { startTime: at(0) }),
        ...(snapshotEnded ? { endTime: at(8), durationMs: 8 * 60_000 } : {}),
      },
      transfer: {
        name: 'Transfer data to vault',
        status: transfer,
        ...(transferStarted ? { startTime: at(8) } : {}),
        ...(transferEnded ? { endTime: at(41), durationMs: 33 * 60_000 } : {}),
      },
    },
    errors:
      transfer === 'Failed'
        ? [
            {
              code:
                snapshot === 'Failed' ? 'UserErrorGuestAgentStatusUnavailable' : 'UserErrorTransferFailed',
              message:
                snapshot === 'Failed'
                  ? 'VM Agent unable to communicate with the Azure Backup Service.'
                  : 'Data transfer to the vault failed.',
              recommendations: [
                'Ensure the VM agent is the latest version and running, then retry the backup.',
              ],
            },
          ]
        : [],
    ...extra,
  };
}

export function jobView(j: BackupJob, extra: Partial<JobView> = {}): JobView {
  return { kind: 'job', job: j, asOf: AS_OF, ...extra };
}

/** A job card as "backup myVM now" first shows it: snapshot running, retention and link known. */
export const STARTED_JOB = jobView(job('InProgress', 'NotStarted'), {
  resourceGroup: VAULT.resourceGroup,
  retainUntil: '2026-12-22',
  consistency: 'The VM is running, so the snapshot will most likely be application-consistent.',
  portalUrl: `https://portal.azure.com/#@/resource${VAULT.id}/backupJobs`,
});

export const JOB_VIEWS: JobView[] = [
  STARTED_JOB,
  ...PORTAL_TABLE.map(([s, t]) => jobView(job(s, t))),
  // From a job list: no task list yet.
  jobView({ ...job('Completed', 'InProgress'), phases: undefined }),
  jobView({
    ...job('Completed', 'Completed'),
    operation: 'ConfigureBackup',
    isUserTriggered: undefined,
    phases: undefined,
  }),
];

/** `n` jobs of different VMs and states, newest first, as a vault's job list returns them. */
export function manyJobs(n: number): BackupJob[] {
  return Array.from({ length: n }, (_, i) => {
    const [s, t] = PORTAL_TABLE[i % PORTAL_TABLE.length]!;
    const j = job(s, t);
    return {
      ...j,
      id: `job-${String(i).padStart(4, '0')}-${JOB_ID.slice(9)}`,
      vmName: `app-vm-${i}`,
      phases: undefined,
    };
  });
}

// ---- VMs ----------------------------------------------------------------------------------------

function vmStatus(facts: Partial<VmFacts> & { name: string }, protection: VmProtection): VmStatus {
  const vm: VmFacts = {
    id: `/subscriptions/${VAULT.subscriptionId}/resourceGroups/rg-workloads/providers/Microsoft.Compute/virtualMachines/${facts.name}`,
    subscriptionId: VAULT.subscriptionId,
    resourceGroup: 'rg-workloads',
    location: 'westus',
    osType: 'Windows',
    powerState: 'running',
    agentChecked: true,
    agentVersion: '2.7.41491.1102',
    ...facts,
  };
  return { ...vm, protection, eligibility: vmEligibility(vm, VAULT), agent: checkVmAgent(vm) };
}

/** The seeded world's interesting cases (DESIGN.md section 7). */
export const VMS: VmStatus[] = [
  vmStatus(
    { name: 'myVM', extendedZone: 'losangeles' },
    {
      state: 'Protected',
      policyName: 'EnhancedPolicy',
      policyKind: 'Enhanced',
      lastBackupTime: '2026-11-21T08:08:00Z',
      lastBackupStatus: 'Completed',
    },
  ),
  vmStatus(
    { name: 'web-linux-01', osType: 'Linux', powerState: 'deallocated', agentVersion: undefined },
    { state: 'NotProtected' },
  ),
  vmStatus({ name: 'legacy-win-01', agentVersion: '2.6.1198.600' }, { state: 'NotProtected' }),
  vmStatus({ name: 'db-eastus-01', location: 'eastus' }, { state: 'NotProtected' }),
];
export const [EZ_WINDOWS, STOPPED_LINUX, OLD_AGENT, OTHER_REGION] = VMS as [
  VmStatus,
  VmStatus,
  VmStatus,
  VmStatus,
];

export function manyVms(n: number): VmStatus[] {
  return Array.from({ length: n }, (_, i) => ({
    ...VMS[i % VMS.length]!,
    name: `vm-${String(i).padStart(3, '0')}`,
  }));
}

// ---- policies -----------------------------------------------------------------------------------

const policy = (spec: Parameters<typeof validatePolicySpec>[0], extra: Partial<Policy> = {}): Policy => ({
  ...validatePolicySpec(spec),
  id: `${VAULT.id}/backupPolicies/${spec.name}`,
  protectedItemsCount: 1,
  ...extra,
});

export const ENHANCED_HOURLY = policy(
  {
    name: 'EnhancedPolicy',
    kind: 'Enhanced',
    schedule: { frequency: 'Hourly', intervalHours: 4, windowStartTime: '08:00', windowDurationHours: 12 },
    retention: { dailyDays: 30, weeklyWeeks: 12 },
  },
  { restorePointResourceGroupPrefix: 'rg-chatops-rpc-' },
);
export const ENHANCED_DAILY = policy(
  {
    name: 'nightly-enhanced',
    kind: 'Enhanced',
    schedule: { frequency: 'Daily', time: '22:30' },
    instantRestoreDays: 1,
    retention: { dailyDays: 90, monthlyMonths: 12, yearlyYears: 7 },
    timeZone: 'Pacific Standard Time',
  },
  { protectedItemsCount: 0 },
);
export const STANDARD_WEEKLY = policy({
  name: 'DefaultPolicy',
  kind: 'Standard',
  schedule: { frequency: 'Weekly', days: ['Monday', 'Thursday'], time: '01:00' },
});
export const POLICIES = [ENHANCED_HOURLY, ENHANCED_DAILY, STANDARD_WEEKLY];

// ---- approvals ----------------------------------------------------------------------------------

export const OPEN_APPROVAL: ApprovalView = {
  kind: 'approval',
  id: 'apr-7c41',
  state: 'requested',
  action: 'Stop backup and delete data',
  target: 'myVM (vault rsv-westus)',
  requestedBy: 'Alice',
  requestedAt: '2026-11-22T10:00:00Z',
  expiresAt: '2026-11-22T11:00:00Z',
  consequences: [
    'Scheduled backups of myVM stop.',
    'All 14 recovery points of myVM are deleted.',
    'Soft delete keeps the deleted data 14 more days; after that it cannot be recovered.',
  ],
  confirmName: 'myVM',
};

export const DECIDED_APPROVALS: ApprovalView[] = [
  { ...OPEN_APPROVAL, state: 'approved', decidedBy: 'Bob', decidedAt: '2026-11-22T10:10:00Z' },
  { ...OPEN_APPROVAL, state: 'executing', decidedBy: 'Bob', decidedAt: '2026-11-22T10:10:00Z' },
  {
    ...OPEN_APPROVAL,
    state: 'executed',
    decidedBy: 'Bob',
    decidedAt: '2026-11-22T10:10:00Z',
    outcome: 'Backup of myVM stopped and its data deleted (job 9d1e…).',
  },
  {
    ...OPEN_APPROVAL,
    state: 'failed',
    decidedBy: 'Bob',
    decidedAt: '2026-11-22T10:10:00Z',
    outcome: 'Azure refused: the vault is locked (azure.ScopeLocked).',
  },
  {
    ...OPEN_APPROVAL,
    state: 'rejected',
    decidedBy: 'Bob',
    decidedAt: '2026-11-22T10:05:00Z',
    outcome: 'Rejected.',
  },
  { ...OPEN_APPROVAL, state: 'expired' },
  { ...OPEN_APPROVAL, state: 'cancelled', decidedBy: 'Alice', decidedAt: '2026-11-22T10:02:00Z' },
];

// ---- alerts -------------------------------------------------------------------------------------

/** A scheduled backup of myVM whose snapshot failed (Failed) and one whose transfer failed (with warning). */
export const SCHEDULED_FAILED = job('Failed', 'Failed', { isUserTriggered: false });
export const SCHEDULED_WARNING = job('Completed', 'Failed', { isUserTriggered: false });

export const ALERT_VIEWS: JobAlertView[] = [
  {
    kind: 'job-alert',
    job: SCHEDULED_FAILED,
    resourceGroup: VAULT.resourceGroup,
    inDefaultVault: true,
    asOf: AS_OF,
  },
  {
    kind: 'job-alert',
    job: { ...SCHEDULED_WARNING, vaultName: 'rsv-eastus' },
    resourceGroup: 'rg-eastus',
    inDefaultVault: false,
    asOf: AS_OF,
    portalUrl: `https://portal.azure.com/#@/resource${VAULT.id}/backupJobs`,
  },
  // Details could not be read: the listed job, without phases, and Azure gave no error details.
  {
    kind: 'job-alert',
    job: { ...SCHEDULED_FAILED, phases: undefined, errors: [] },
    resourceGroup: VAULT.resourceGroup,
    inDefaultVault: true,
    asOf: AS_OF,
  },
];

// ---- everything else ----------------------------------------------------------------------------

export const UNKNOWN_COMMAND: View = {
  kind: 'error',
  title: "I didn't understand that",
  code: 'validation.unknown_command',
  message: 'I don\'t know how to "bakup myVM now".',
  hint: 'Did you mean one of these?',
  suggestions: ['backup myVM now', 'backup myVM now keep until 2026-12-31'],
};

/** At least one view of every kind, plus the variants a card must handle. */
/** Two points of myVM: one with both tiers in the Extended Zone, an older one in the vault only. */
const POINTS: RecoveryPoint[] = [
  {
    id: '932881',
    time: '2026-11-22T10:08:00Z',
    consistency: 'AppConsistent',
    tiers: [
      { type: 'InstantRP', status: 'Valid' },
      { type: 'HardenedRP', status: 'Valid' },
    ],
    extendedZone: 'losangeles',
  },
  {
    id: '932880',
    time: '2026-11-15T10:08:00Z',
    consistency: 'CrashConsistent',
    tiers: [{ type: 'HardenedRP', status: 'Valid' }],
  },
];

export const ALL_VIEWS: View[] = [
  {
    kind: 'help',
    role: 'operator',
    commands: [
      {
        id: 'vms.list',
        title: 'List VMs',
        summary: 'VMs and whether they are protected.',
        examples: ['list vms'],
      },
      {
        id: 'backup.now',
        title: 'Back up now',
        summary: 'Takes a backup now; the point is kept 30 days unless you say otherwise.',
        examples: ['backup myVM now', 'backup myVM now keep until 2026-12-31', 'backup myVM now for 90 days'],
      },
    ],
  },
  {
    kind: 'message',
    tone: 'warning',
    title: 'Approval requested',
    text: 'Deleting backup data needs an approver. Nothing was done yet.',
    facts: [{ title: 'VM', value: 'myVM' }],
    actions: [
      { verb: 'command.run', title: 'Jobs of myVM', data: { text: 'jobs for myVM' } },
      {
        verb: 'approval.cancel',
        title: 'Cancel request',
        data: { approvalId: 'apr-7c41' },
        style: 'destructive',
      },
    ],
  },
  { kind: 'message', tone: 'info', title: 'Nothing to do', text: 'myVM is already protected.' },
  UNKNOWN_COMMAND,
  {
    kind: 'error',
    title: 'Azure could not do it',
    code: 'azure.UserErrorBackupOperationInProgress',
    message: 'A backup of myVM is still taking its snapshot; only one snapshot runs at a time.',
  },
  { kind: 'vm-list', vault: { name: VAULT.name, location: VAULT.location }, vms: VMS },
  { kind: 'vm-list', vault: { name: VAULT.name, location: VAULT.location }, vms: [] },
  { kind: 'vault', vault: VAULT, created: true },
  { kind: 'vault', vault: { ...VAULT, provisioningState: undefined }, created: false },
  {
    kind: 'vault-list',
    vaults: [VAULT, { ...VAULT, id: '/v2', name: 'rsv-eastus', location: 'eastus' }],
    defaultVault: VAULT.name,
  },
  { kind: 'policy-list', vaultName: VAULT.name, policies: POLICIES },
  { kind: 'policy-list', vaultName: VAULT.name, policies: [] },
  ...POLICIES.map((p, i): View => ({ kind: 'policy', vaultName: VAULT.name, policy: p, created: i === 0 })),
  {
    kind: 'enable-backup',
    vaultName: VAULT.name,
    result: {
      vm: STOPPED_LINUX,
      policy: STANDARD_WEEKLY,
      jobId: 'cfg-5e2a',
      alreadyProtected: false,
      consistency: expectedConsistency(STOPPED_LINUX),
    },
  },
  {
    kind: 'enable-backup',
    vaultName: VAULT.name,
    result: {
      vm: EZ_WINDOWS,
      policy: ENHANCED_HOURLY,
      alreadyProtected: true,
      consistency: expectedConsistency(EZ_WINDOWS),
    },
  },
  ...JOB_VIEWS,
  {
    kind: 'job-list',
    vaultName: VAULT.name,
    description: 'Backup jobs of the last 24 hours',
    jobs: manyJobs(5),
    asOf: AS_OF,
  },
  { kind: 'job-list', vaultName: VAULT.name, description: 'Failed jobs of myVM', jobs: [], asOf: AS_OF },
  {
    kind: 'recovery-points',
    vmName: 'myVM',
    vaultName: VAULT.name,
    points: POINTS,
  },
  { kind: 'recovery-points', vmName: 'web-linux-01', vaultName: VAULT.name, points: [] },
  ...RESTORE_VIEWS(),
  {
    kind: 'stop-backup',
    vaultName: VAULT.name,
    result: { vmName: 'myVM', deletedData: true, jobId: 'del-1' },
  },
  { kind: 'stop-backup', vaultName: VAULT.name, result: { vmName: 'myVM', deletedData: false } },
  {
    kind: 'resource-group',
    group: {
      name: 'rg-test',
      location: 'westus',
      resources: [
        { name: 'vm1', type: 'Microsoft.Compute/virtualMachines' },
        { name: 'vm1-nic', type: 'Microsoft.Network/networkInterfaces' },
      ],
      vaults: [],
    },
  },
  OPEN_APPROVAL,
  ...DECIDED_APPROVALS,
  ...ALERT_VIEWS,
];

/** Strings a user or Azure could put in a name or a message that look like template syntax. */
export const TEMPLATE_LOOKALIKES = [
  '${evil}',
  '{{x}}',
  '${$root.title}',
  "${if(true, 'a', 'b')}",
  '${json(\'{"type":"Action.Execute"}\')}',
  '$when',
  '{{DATE(2026-11-22T10:00:00Z, SHORT)}}',
];

/** Restore: the options card (with points, and without), and restore jobs of each kind, running and done. */
function RESTORE_VIEWS(): View[] {
  const points = POINTS;
  const vm = { name: 'myVM', resourceGroup: 'rg-workloads', location: 'westus', extendedZone: 'losangeles' };
  const restoreJob = (kind: RestoreKind, status: 'InProgress' | 'Completed'): BackupJob => {
    const tasks = RESTORE_KIND_INFO[kind].tasks.map((name, i) => ({
      name,
      status:
        status === 'Completed'
          ? ('Completed' as const)
          : i === 0
            ? ('InProgress' as const)
            : ('NotStarted' as const),
    }));
    const { phases: _none, ...base } = job('Completed', 'Completed');
    return {
      ...base,
      operation: 'Restore',
      status,
      azureStatus: status,
      ...(status === 'InProgress' ? { endTime: undefined, durationMs: undefined } : {}),
      tasks,
      restore: {
        kind,
        recoveryPointTime: '2026-11-22T10:08:00.000Z',
        storageAccount: 'stchatopsrestore',
        ...(kind === 'AlternateLocation'
          ? {
              targetVmName: 'myVM-restored',
              targetResourceGroup: 'rg-workloads',
              targetVnet: 'Group rg-workloads vnet-westus',
            }
          : kind === 'RestoreDisks'
            ? {
                targetResourceGroup: 'rg-restore',
                ...(status === 'Completed'
                  ? {
                      templateBlobUri:
                        'https://stchatopsrestore.blob.core.windows.net/myvm-1/azuredeploy1.json',
                    }
                  : {}),
              }
            : { targetResourceGroup: 'rg-workloads' }),
      },
    };
  };
  return [
    { kind: 'restore-options', vm, vaultName: VAULT.name, points, newVmName: 'myVM-restored' },
    {
      kind: 'restore-options',
      vm: { ...vm, extendedZone: undefined },
      vaultName: VAULT.name,
      points: [],
      newVmName: 'x',
    },
    ...RESTORE_KINDS.flatMap((kind) =>
      (['InProgress', 'Completed'] as const).map((status): View => jobView(restoreJob(kind, status))),
    ),
  ];
}
