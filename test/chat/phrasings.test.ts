import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/chat/command-list.js';
import { toErrorView } from '../../src/chat/error-view.js';
import { interpretText } from '../../src/chat/interpret-text.js';
import { isAppError } from '../../src/domain/index.js';

/**
 * The grammar, phrasing by phrasing: what an on-call engineer types, typos and hostile input
 * included, and what the bot takes it to mean.
 */
const now = new Date('2026-11-22T10:00:00Z');

type Expect = [text: string, command: string, args?: Record<string, unknown>];
type Refuse = [text: string, code: string, suggestion?: string];

function interpret(text: string): { id: string; args: unknown } {
  const { command, args } = interpretText(text, COMMANDS, now);
  return { id: command.id, args };
}

const understood: Expect[] = [
  // help
  ['help', 'help'],
  ['HELP', 'help'],
  ['?', 'help'],
  ['what can you do?', 'help'],
  ['help backup', 'help', { topic: 'backup' }],
  ['help with policies', 'help', { topic: 'policies' }],
  ['@backupbot help', 'help'],
  ['<at>Backup Bot</at> help', 'help'],
  ['<@U0123ABC> help', 'help'],
  ['', 'help'],
  ['   ', 'help'],
  ['hey bot, help please', 'help'],
  // list vms
  ['list vms', 'vms.list'],
  ['List VMs', 'vms.list'],
  ['show vms', 'vms.list'],
  ['vms', 'vms.list'],
  ['show me... no: list all vms', 'validation.unknown_command' as never],
  ['list all virtual machines', 'vms.list'],
  ['show my machines', 'vms.list'],
  ['which vms', 'vms.list'],
  ['list vms in vault rsv-westus', 'vms.list', { vault: 'rsv-westus' }],
  ['please list vms', 'vms.list'],
  ['can you list vms for me', 'vms.list'],
  ['list vms 🙏', 'vms.list'],
  ['list servers', 'vms.list'],
  // vaults
  ['vaults', 'vaults.list'],
  ['list vaults', 'vaults.list'],
  ['show recovery services vaults', 'vaults.list'],
  // create vault
  ['create vault myVault in westus', 'vault.create', { name: 'myVault', location: 'westus' }],
  ['create a vault called myVault in West US', 'vault.create', { name: 'myVault', location: 'West US' }],
  [
    'create a new recovery services vault rsv-prod in eastus',
    'vault.create',
    { name: 'rsv-prod', location: 'eastus' },
  ],
  ['new vault rsv-la westus', 'vault.create', { name: 'rsv-la', location: 'westus' }],
  ['make vault rsv-2 at westus', 'vault.create', { name: 'rsv-2', location: 'westus' }],
  [
    'create vault rsv-3 in westus in resource group rg-backup',
    'vault.create',
    { name: 'rsv-3', location: 'westus', resourceGroup: 'rg-backup' },
  ],
  [
    'create vault rsv-4 in rg rg-x in westus',
    'vault.create',
    { name: 'rsv-4', location: 'westus', resourceGroup: 'rg-x' },
  ],
  ['create vault rsv-la in losangeles', 'vault.create', { name: 'rsv-la', location: 'losangeles' }],
  ['Create Vault RSV-Upper in WESTUS', 'vault.create', { name: 'RSV-Upper', location: 'WESTUS' }],
  [
    'set up a vault named ops-vault in the westus region',
    'vault.create',
    { name: 'ops-vault', location: 'westus' },
  ],
  // policies
  ['policies', 'policies.list'],
  ['list policies', 'policies.list'],
  ['show backup policies', 'policies.list'],
  ['list policies in vault rsv-new', 'policies.list', { vault: 'rsv-new' }],
  ['policy EnhancedPolicy', 'policy.show', { name: 'EnhancedPolicy' }],
  ['show policy DefaultPolicy', 'policy.show', { name: 'DefaultPolicy' }],
  ['describe the backup policy nightly', 'policy.show', { name: 'nightly' }],
  // create policy
  [
    'create policy ez-hourly hourly every 4h from 08:00 for 12h keep snapshots 7 days keep daily 30 days',
    'policy.create',
    {
      name: 'ez-hourly',
      kind: 'Enhanced',
      schedule: { frequency: 'Hourly', intervalHours: 4, windowStartTime: '08:00', windowDurationHours: 12 },
      instantRestoreDays: 7,
      retention: { dailyDays: 30 },
    },
  ],
  [
    'create an enhanced policy p6 every 6 hours from 6am for 18 hours',
    'policy.create',
    {
      name: 'p6',
      kind: 'Enhanced',
      schedule: { frequency: 'Hourly', intervalHours: 6, windowStartTime: '06:00', windowDurationHours: 18 },
    },
  ],
  [
    'create policy nightly daily at 22:30 keep daily 30 days keep weekly 12 weeks',
    'policy.create',
    {
      name: 'nightly',
      schedule: { frequency: 'Daily', time: '22:30' },
      retention: { dailyDays: 30, weeklyWeeks: 12 },
    },
  ],
  [
    'create standard policy std-1 daily at 11pm',
    'policy.create',
    { name: 'std-1', kind: 'Standard', schedule: { frequency: 'Daily', time: '23:00' } },
  ],
  [
    'create policy weekend standard weekly on sat, sun at 23:00 keep weekly 8 weeks',
    'policy.create',
    {
      kind: 'Standard',
      schedule: { frequency: 'Weekly', days: ['Sunday', 'Saturday'], time: '23:00' },
      retention: { weeklyWeeks: 8 },
    },
  ],
  [
    'create policy wd weekly on weekdays at 01:00',
    'policy.create',
    {
      schedule: {
        frequency: 'Weekly',
        days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
        time: '01:00',
      },
    },
  ],
  [
    'create policy long daily at 02:00 keep daily 90 days keep monthly 60 months keep yearly 10 years',
    'policy.create',
    { retention: { dailyDays: 90, monthlyMonths: 60, yearlyYears: 10 } },
  ],
  ['create policy tz daily at 02:00 timezone UTC', 'policy.create', { timeZone: 'UTC' }],
  [
    'create policy plain',
    'policy.create',
    { name: 'plain', kind: 'Enhanced', schedule: { frequency: 'Daily', time: '22:00' } },
  ],
  [
    'make a new policy called hourly-8 every 8h',
    'policy.create',
    { name: 'hourly-8', schedule: { intervalHours: 8 } },
  ],
  ['create policy snap instant restore 10 days daily at 03:00', 'policy.create', { instantRestoreDays: 10 }],
  // enable backup
  ['enable backup for myVM', 'backup.enable', { vm: 'myVM' }],
  [
    'enable backup for myVM with policy EnhancedPolicy',
    'backup.enable',
    { vm: 'myVM', policy: 'EnhancedPolicy' },
  ],
  [
    'Enable Backup on web-linux-01 using DefaultPolicy',
    'backup.enable',
    { vm: 'web-linux-01', policy: 'DefaultPolicy' },
  ],
  ['protect ez-linux-01', 'backup.enable', { vm: 'ez-linux-01' }],
  [
    'protect vm ez-linux-01 with EnhancedPolicy',
    'backup.enable',
    { vm: 'ez-linux-01', policy: 'EnhancedPolicy' },
  ],
  ['configure backup for legacy-win-01', 'backup.enable', { vm: 'legacy-win-01' }],
  ['turn on backup for db-eastus-01', 'backup.enable', { vm: 'db-eastus-01' }],
  [
    'turn on protection for myVM with the EnhancedPolicy policy',
    'backup.enable',
    { vm: 'myVM', policy: 'EnhancedPolicy' },
  ],
  ['please enable backups for rg-workloads/myVM', 'backup.enable', { vm: 'rg-workloads/myVM' }],
  ['could you enable backup of myVM thanks', 'backup.enable', { vm: 'myVM' }],
  ['enable backup for myVM under policy nightly', 'backup.enable', { vm: 'myVM', policy: 'nightly' }],
  // backup now
  ['backup myVM now', 'backup.now', { vm: 'myVM' }],
  [
    'backup db-eastus-01 now in vault rsv-eastus',
    'backup.now',
    { vm: 'db-eastus-01', vault: { vault: 'rsv-eastus' } },
  ],
  [
    'back up web-01 in vault rg-backup/rsv-prod for 2 weeks',
    'backup.now',
    { vm: 'web-01', vault: { vault: 'rsv-prod', resourceGroup: 'rg-backup' }, retain: { days: 14 } },
  ],
  ['backup myVM', 'backup.now', { vm: 'myVM' }],
  ['back up myVM', 'backup.now', { vm: 'myVM' }],
  ['backup now myVM', 'backup.now', { vm: 'myVM' }],
  ['Backup MYVM NOW', 'backup.now', { vm: 'MYVM' }],
  ['take a backup of myVM', 'backup.now', { vm: 'myVM' }],
  ['take an on-demand backup of myVM now', 'backup.now', { vm: 'myVM' }],
  ['run a backup for myVM', 'backup.now', { vm: 'myVM' }],
  ['trigger backup of myVM', 'backup.now', { vm: 'myVM' }],
  ['backup myVM now keep until 2026-12-31', 'backup.now', { vm: 'myVM', retain: { until: '2026-12-31' } }],
  ['backup myVM until 2026/12/31', 'backup.now', { vm: 'myVM', retain: { until: '2026-12-31' } }],
  ['backup myVM now retain until 2027-1-5', 'backup.now', { vm: 'myVM', retain: { until: '2027-01-05' } }],
  ['backup myVM for 30 days', 'backup.now', { vm: 'myVM', retain: { days: 30 } }],
  ['backup myVM for 2 weeks', 'backup.now', { vm: 'myVM', retain: { days: 14 } }],
  ['backup myVM keep 30 days', 'backup.now', { vm: 'myVM', retain: { days: 30 } }],
  ['backup myVM keep for 3 months', 'backup.now', { vm: 'myVM', retain: { months: 3 } }],
  ['backup myVM now and keep it for a year', 'backup.now', { vm: 'myVM', retain: { months: 12 } }],
  ['back up myVM for one week please', 'backup.now', { vm: 'myVM', retain: { days: 7 } }],
  ['backup for myVM now', 'backup.now', { vm: 'myVM' }],
  ['backup the vm myVM now', 'backup.now', { vm: 'myVM' }],
  ['@bot backup myVM now', 'backup.now', { vm: 'myVM' }],
  ['can you please back up myVM right now?', 'backup.now', { vm: 'myVM' }],
  ['backup myVM now!!', 'backup.now', { vm: 'myVM' }],
  ['backup “myVM” now', 'backup.now', { vm: '"myVM"' }],
  ['backup myVM now 🚀', 'backup.now', { vm: 'myVM' }],
  ['snapshot myVM', 'backup.now', { vm: 'myVM' }],
  ['backup rg-workloads/myVM now', 'backup.now', { vm: 'rg-workloads/myVM' }],
  ['backup myVM immediately', 'backup.now', { vm: 'myVM' }],
  ['backup myVM for 5d', 'backup.now', { vm: 'myVM', retain: { days: 5 } }],
  // jobs
  ['status of jobs', 'jobs.list', { description: 'All jobs' }],
  ['Status of Jobs', 'jobs.list'],
  ['jobs', 'jobs.list'],
  ['job status', 'jobs.list'],
  ['show jobs', 'jobs.list'],
  ['list backup jobs', 'jobs.list'],
  ['backup jobs', 'jobs.list'],
  ['backup jobs for myVM', 'jobs.list', { filter: { vmName: 'myVM' } }],
  ['show failed jobs', 'jobs.list'],
  ['failed jobs for myVM', 'jobs.list', { filter: { status: 'Failed', vmName: 'myVM' } }],
  ['jobs in progress', 'jobs.list'],
  ['status of jobs last 24h', 'jobs.list'],
  ['status of jobs for myVM failed last 7 days', 'jobs.list'],
  ["what's the status of my backup jobs", 'jobs.list'],
  ['any failed backups', 'jobs.list'],
  ['running backups', 'jobs.list'],
  ['show me the jobs from today', 'jobs.list'],
  ['jobs completed with warnings', 'jobs.list'],
  ['configure backup jobs', 'jobs.list', { filter: { operation: 'ConfigureBackup' } }],
  ['status of the job', 'jobs.list'],
  ['staus of jobs', 'jobs.list'],
  // one job
  ['job 3f2b7c1e-0d4a-4e8b-9c61-2a5d7e9f0b13', 'job.show', { id: '3f2b7c1e-0d4a-4e8b-9c61-2a5d7e9f0b13' }],
  ['show job 3f2b7c1e', 'job.show', { id: '3f2b7c1e' }],
  ['job id abc-123', 'job.show', { id: 'abc-123' }],
  ['job abc-123 in vault rsv-eastus', 'job.show', { id: 'abc-123', vault: { vault: 'rsv-eastus' } }],
  ["job 1' or '1'='1", 'validation.unknown_command' as never],
  // recovery points
  ['recovery points for myVM', 'recoverypoints.list', { vm: 'myVM' }],
  ['list recovery points of myVM', 'recoverypoints.list', { vm: 'myVM' }],
  ['restore points for myVM', 'recoverypoints.list', { vm: 'myVM' }],
  ['show the recovery points myVM', 'recoverypoints.list', { vm: 'myVM' }],
  ['recoverypoints for vm myVM', 'recoverypoints.list', { vm: 'myVM' }],
  // stop backup
  ['stop backup for myVM', 'backup.stop', { vm: 'myVM', confirmed: false }],
  ['stop backup for myVM confirm', 'backup.stop', { vm: 'myVM', confirmed: true }],
  ['stop backup for myVM, yes', 'backup.stop', { vm: 'myVM', confirmed: true }],
  ['disable backup of myVM', 'backup.stop', { vm: 'myVM' }],
  ['stop protection for myVM but keep the data', 'backup.stop', { vm: 'myVM' }],
  ['turn off backups on myVM', 'backup.stop', { vm: 'myVM' }],
  ['stop backup for myVM and delete data', 'backup.delete-data', { vm: 'myVM' }],
  ['stop backup for myVM and delete the backup data', 'backup.delete-data', { vm: 'myVM' }],
  ['disable protection for myVM & remove recovery points', 'backup.delete-data', { vm: 'myVM' }],
  ['delete backup data of myVM', 'backup.delete-data', { vm: 'myVM' }],
  ['remove all backup data for myVM', 'backup.delete-data', { vm: 'myVM' }],
  // delete resource group
  ['delete resource group rg-test', 'resourcegroup.delete', { name: 'rg-test' }],
  ['delete rg rg-test', 'resourcegroup.delete', { name: 'rg-test' }],
  ['remove the resource group rg-old', 'resourcegroup.delete', { name: 'rg-old' }],
  ['Delete ResourceGroup rg-x', 'resourcegroup.delete', { name: 'rg-x' }],
  // approvals and audit
  ['approve 7f3a2c myVM', 'approval.approve', { id: '7f3a2c', confirmName: 'myVM' }],
  ['approve request 7f3a2c', 'approval.approve', { id: '7f3a2c' }],
  ['reject 7f3a2c', 'approval.reject', { id: '7f3a2c' }],
  ['deny 7f3a2c', 'approval.reject', { id: '7f3a2c' }],
  ['audit', 'audit'],
  ['show audit log', 'audit'],
  ['audit last 20', 'audit'],
];

const refused: Refuse[] = [
  ['backup myVM now in vault 9-not-a-vault', 'validation.vault_name'],
  // typos → did you mean
  ['bakup myVM now', 'validation.unknown_command', 'backup myVM now'],
  ['lsit vms', 'validation.unknown_command', 'list vms'],
  ['list vsm', 'validation.unknown_command', 'list vms'],
  ['status of jbos', 'validation.unknown_command', 'status of jobs'],
  ['enabel backup for myVM', 'validation.unknown_command', 'enable backup for myVM'],
  ['polices', 'validation.unknown_command', 'policies'],
  ['hlep', 'validation.unknown_command', 'help'],
  ['recovry points for myVM', 'validation.unknown_command', 'recovery points for myVM'],
  ['creat vault v1 in westus', 'validation.unknown_command', 'create vault v1 in westus'],
  ['stpo backup for myVM', 'validation.unknown_command', 'stop backup for myVM'],
  ['aprove 7f3a2c', 'validation.unknown_command', 'approve 7f3a2c'],
  ['vualts', 'validation.unknown_command', 'vaults'],
  // unknown entirely
  ['make me a sandwich', 'validation.unknown_command'],
  ['restore myVM to yesterday', 'validation.arguments'],
  ['🙂🙂🙂 hello there friend', 'validation.unknown_command'],
  ["$filter=status eq 'Failed'", 'validation.unknown_command'],
  ["'; DROP TABLE watches; --", 'validation.unknown_command'],
  ['<script>alert(1)</script>', 'validation.unknown_command'],
  ['x'.repeat(5000), 'validation.unknown_command'],
  // recognised, but arguments wrong
  ['backup', 'validation.arguments'],
  ['backup now', 'validation.arguments'],
  ['backup myVM and web-linux-01', 'validation.arguments'],
  ['backup myVM keep until tomorrow', 'validation.retain_until'],
  ['backup myVM until 31/12/2026', 'validation.retain_until'],
  ['backup myVM for ever', 'validation.retain_until'],
  ['create vault', 'validation.arguments'],
  ['create vault onlyname', 'validation.arguments'],
  ['create policy', 'validation.arguments'],
  ['create policy p1 daily at 25:00', 'validation.policy'],
  ['create policy p1 keep daily 30 weeks', 'validation.policy'],
  ['create policy p1 daily at 08:00 sometimes maybe', 'validation.policy'],
  ['enable backup', 'validation.arguments'],
  ['enable backup for a b c', 'validation.arguments'],
  ['stop backup', 'validation.arguments'],
  ['status of jobs last 400 days', 'validation.job_window'],
  ["approve x'y", 'validation.approval_id'],
];

describe('phrasings the bot understands', () => {
  it.each(understood)('%j → %s', (text, id, args) => {
    if (id.includes('.') && id.startsWith('validation.')) {
      expect(() => interpret(text)).toThrow();
      return;
    }
    const r = interpret(text);
    expect(r.id).toBe(id);
    if (args) expect(r.args).toMatchObject(args);
  });
});

describe('phrasings the bot refuses, saying why', () => {
  it.each(refused)('%j → %s', (text, code, suggestion) => {
    let error: unknown;
    try {
      interpret(text);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error)).toBe(true);
    if (!isAppError(error)) return;
    expect(error.code).toBe(code);
    expect(error.message.length).toBeLessThan(400);
    if (code !== 'validation.unknown_command') expect(toErrorView(error).hint).toBeTruthy();
    if (suggestion) expect(error.details.suggestions).toContain(suggestion);
  });

  it('covers at least 150 phrasings in all', () => {
    expect(understood.length + refused.length).toBeGreaterThanOrEqual(150);
  });
});

describe('job filter words', () => {
  it.each([
    ['status of jobs', {}, 'All jobs'],
    ['failed jobs for myVM', { status: 'Failed', vmName: 'myVM' }, 'Failed jobs of myVM'],
    ['jobs in progress', { status: 'InProgress' }, 'In-progress jobs'],
    [
      'jobs completed with warnings last 7 days',
      { status: 'CompletedWithWarnings' },
      'Completed-with-warning jobs in the last 7 days',
    ],
    ['status of jobs last 24h', {}, 'All jobs in the last 1 day'],
    ['configure backup jobs', { operation: 'ConfigureBackup' }, 'All configure-backup jobs'],
  ] as const)('%j', async (text, filter, description) => {
    const { parseJobFilter } = await import('../../src/chat/phrases/job-filter-phrase.js');
    const r = parseJobFilter(text, now);
    expect(r.filter).toMatchObject(filter);
    expect(r.description).toBe(description);
  });
});
