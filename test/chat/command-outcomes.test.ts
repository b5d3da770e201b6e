import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/domain/index.js';
import { ApprovalWorkflow } from '../../src/approvals/approval-workflow.js';
import { AuditLog } from '../../src/approvals/audit-log.js';
import { silentLogger } from '../../src/logger.js';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { renderBlockKit } from '../../src/channels/slack/block-kit-renderer.js';
import type { ChatRequest } from '../../src/domain/index.js';
import { NO_EFFECT } from '../../src/chat/reply.js';
import { COMMANDS } from '../../src/chat/command-list.js';
import type { CommandContext } from '../../src/chat/command.js';
import type { CommandOutcome, OutcomeKind } from '../../src/chat/command-outcome.js';
import { approveCommand, cancelCommand } from '../../src/chat/commands/approvals.js';
import { backupNowCommand } from '../../src/chat/commands/backup-now.js';
import { showJobCommand } from '../../src/chat/commands/show-job.js';
import { approvedOutcomeLine } from '../../src/chat/present-approval-outcome.js';
import { OUTCOME_KINDS, presentOutcome } from '../../src/chat/present-outcome.js';
import type { Role } from '../../src/chat/roles.js';
import { helpEntryOf } from '../../src/chat/usage.js';
import { expectedConsistency } from '../../src/domain/index.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';
import { schemaErrors } from '../cards/card-schema.js';
import {
  AS_OF,
  EZ_WINDOWS,
  OPEN_APPROVAL,
  POLICIES,
  STANDARD_WEEKLY,
  STOPPED_LINUX,
  VAULT,
  VMS,
  job,
  manyJobs,
} from '../cards/fixtures.js';

/**
 * Issue 16.2: a command's `execute` returns what happened (an outcome), and presenting it is done
 * in one place. These pin the outcomes of a few commands and check that every kind of outcome
 * presents to a view both renderers accept.
 */
const defaults = {
  subscriptionId: 'sub',
  vaultName: 'rsv-westus',
  vaultResourceGroup: 'rg-chatops',
  portalLinks: false,
};
const presenting = { defaults, now: new Date(AS_OF) };

const REQUEST: ApprovalRecord = {
  id: OPEN_APPROVAL.id,
  state: 'requested',
  action: 'backup.delete-data',
  title: OPEN_APPROVAL.action,
  target: OPEN_APPROVAL.target,
  requestedBy: OPEN_APPROVAL.requestedBy,
  requestedAt: OPEN_APPROVAL.requestedAt,
  expiresAt: OPEN_APPROVAL.expiresAt,
  consequences: OPEN_APPROVAL.consequences,
  confirmName: OPEN_APPROVAL.confirmName,
};
const RUNNING = job('InProgress', 'NotStarted');
const DONE = job('Completed', 'Completed');

/** One outcome of every kind: the map's type makes a new kind fail to compile until it has one. */
const SAMPLES: { [K in OutcomeKind]: Extract<CommandOutcome, { kind: K }> } = {
  help: { kind: 'help', roles: ['reader', 'operator'], commands: COMMANDS.slice(0, 3).map(helpEntryOf) },
  clarification: {
    kind: 'clarification',
    clarification: {
      question: 'What should I do with myVM?',
      choices: [{ title: 'Jobs', text: 'jobs for myVM' }],
      typed: ['stop backup for myVM and delete data'],
    },
  },
  'vms-listed': { kind: 'vms-listed', vault: { name: VAULT.name, location: VAULT.location }, vms: VMS },
  'vms-listed-everywhere': {
    kind: 'vms-listed-everywhere',
    vaults: [VAULT, { ...VAULT, name: 'rsv-eastus', subscriptionId: 'sub-2' }],
    vms: VMS,
  },
  'vaults-listed': { kind: 'vaults-listed', vaults: [VAULT], defaultVault: VAULT.name },
  'vault-created': { kind: 'vault-created', vault: VAULT, created: true },
  'policies-listed': { kind: 'policies-listed', vaultName: VAULT.name, policies: POLICIES },
  'policy-read': { kind: 'policy-read', vaultName: VAULT.name, policy: STANDARD_WEEKLY },
  'policy-created': { kind: 'policy-created', vaultName: VAULT.name, policy: POLICIES[0]! },
  'backup-enabled': {
    kind: 'backup-enabled',
    vaultName: VAULT.name,
    result: {
      vm: STOPPED_LINUX,
      policy: STANDARD_WEEKLY,
      alreadyProtected: false,
      consistency: expectedConsistency(STOPPED_LINUX),
    },
  },
  'job-started': {
    kind: 'job-started',
    job: RUNNING,
    resourceGroup: 'rg-chatops',
    retainUntil: '2026-12-22',
    consistency: expectedConsistency(EZ_WINDOWS),
  },
  'job-read': { kind: 'job-read', job: DONE, resourceGroup: 'rg-chatops' },
  'jobs-listed': {
    kind: 'jobs-listed',
    vaultName: VAULT.name,
    description: 'Recent jobs',
    jobs: manyJobs(3),
  },
  'recovery-points-listed': {
    kind: 'recovery-points-listed',
    vmName: 'myVM',
    vaultName: VAULT.name,
    points: [],
  },
  'restore-options': { kind: 'restore-options', vm: EZ_WINDOWS, vaultName: VAULT.name, points: [] },
  'stop-backup-unconfirmed': { kind: 'stop-backup-unconfirmed', vm: EZ_WINDOWS },
  'backup-stopped': {
    kind: 'backup-stopped',
    vaultName: VAULT.name,
    result: { vmName: 'myVM', deletedData: true, jobId: 'del-1' },
  },
  'resource-group-deleted': { kind: 'resource-group-deleted', name: 'rg-test' },
  'approval-requested': { kind: 'approval-requested', request: REQUEST },
  'approval-decided': {
    kind: 'approval-decided',
    decision: { result: 'refused', reason: 'approval.name_mismatch', request: REQUEST },
  },
  'audit-listed': {
    kind: 'audit-listed',
    entries: [
      {
        at: AS_OF,
        userId: 'web:alice',
        userName: 'Alice',
        platform: 'web',
        action: 'backup.now',
        target: 'myVM',
        outcome: 'ok',
      },
    ],
  },
  'alerts-subscribed': { kind: 'alerts-subscribed', added: true, scope: 'all', onlyFailures: false },
  'alerts-unsubscribed': {
    kind: 'alerts-unsubscribed',
    removed: 1,
    scope: { vault: 'rsv-westus', resourceGroup: 'rg-chatops' },
  },
  'subscriptions-listed': { kind: 'subscriptions-listed', subscriptions: [] },
  'digest-scheduled': { kind: 'digest-scheduled', time: '08:00', fromTomorrow: true },
  'digest-stopped': { kind: 'digest-stopped', removed: false },
  'health-reported': { kind: 'health-reported', report: { asOf: AS_OF, vaults: [] } },
};

describe('presenting outcomes', () => {
  it('presents every kind of outcome to a view both renderers accept', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...OUTCOME_KINDS].sort());
    for (const outcome of Object.values(SAMPLES)) {
      const { view } = presentOutcome(outcome, presenting);
      expect(schemaErrors(renderAdaptiveCard(view)), outcome.kind).toEqual([]);
      expect(renderBlockKit(view).blocks.length, outcome.kind).toBeGreaterThan(0);
    }
  });

  it('watches a started job to its end, and a job looked at only while it runs', () => {
    const started = presentOutcome({ ...SAMPLES['job-started'], job: DONE }, presenting);
    expect(started.watch).toEqual({ jobId: DONE.id, vaultName: DONE.vaultName, resourceGroup: 'rg-chatops' });
    expect(started.view).toMatchObject({ kind: 'job', retainUntil: '2026-12-22' });
    expect(started.view.kind === 'job' && started.view.consistency).toMatch(/application-consistent/);
    expect(presentOutcome(SAMPLES['job-read'], presenting).watch).toBeUndefined();
    expect(presentOutcome({ ...SAMPLES['job-read'], job: RUNNING }, presenting).watch).toMatchObject({
      jobId: RUNNING.id,
    });
  });

  it('shows a refused decision as an error card with its code, audited by that code', () => {
    const reply = presentOutcome(SAMPLES['approval-decided'], presenting);
    expect(reply.view).toMatchObject({ kind: 'error', code: 'approval.name_mismatch' });
    expect(reply.view.kind === 'error' && reply.view.message).toContain('type the name exactly: myVM');
    expect(reply.outcome).toBe('approval.name_mismatch');
  });

  it('shows a decision that changed nothing as the card, audited as no effect', () => {
    const reply = presentOutcome(
      { kind: 'approval-decided', decision: { result: 'decided', request: REQUEST, tookEffect: false } },
      presenting,
    );
    expect(reply.view).toMatchObject({ kind: 'approval', id: REQUEST.id, action: REQUEST.title });
    expect(reply.outcome).toBe(NO_EFFECT);
  });

  it('words an approved action from its outcome, not from a view', () => {
    expect(approvedOutcomeLine(SAMPLES['backup-stopped'])).toBe(
      'Backup of myVM stopped and its data deleted.',
    );
    expect(approvedOutcomeLine(SAMPLES['resource-group-deleted'])).toBe(
      'Resource group rg-test was deleted.',
    );
    expect(approvedOutcomeLine(SAMPLES['job-started'])).toBe(
      `Backup job ${RUNNING.id} started; follow it with "job ${RUNNING.id}".`,
    );
  });
});

/** A command's context on the given service and workflow, as the registry would make it. */
function contextOf(
  o: Partial<Omit<CommandContext, 'roles'>> & { user?: ChatRequest['user']; roles?: Role[] },
): CommandContext {
  const { user = { id: 'web:alice', name: 'Alice' }, roles = ['operator'], ...rest } = o;
  return {
    request: { platform: 'web', user, conversationId: 'c1' },
    roles: new Set(roles),
    // Only the commands under test run, and they call only what each test provides.
    service: undefined as unknown as CommandContext['service'],
    defaults,
    now: () => new Date(AS_OF),
    commands: COMMANDS,
    ...rest,
  };
}

describe('commands execute to outcomes on the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('backup now returns the job it started, its retain-until and the consistency to expect', async () => {
    const ctx = contextOf({ service: h.service, now: () => h.sandbox.clock.now() });
    const outcome = await backupNowCommand.execute({ vm: 'myVM' }, ctx);
    expect(outcome).toMatchObject({
      kind: 'job-started',
      resourceGroup: 'rg-chatops',
      consistency: { kind: 'application-consistent', powerState: 'running' },
    });
    if (outcome.kind !== 'job-started') return;
    expect(outcome.retainUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(outcome.job.operation).toBe('Backup');
    // The job Azure (the sandbox) really started.
    expect(h.sandbox.world.jobs.some((j) => j.id === outcome.job.id)).toBe(true);

    const shown = await showJobCommand.execute({ id: outcome.job.id }, ctx);
    expect(shown).toMatchObject({
      kind: 'job-read',
      job: { id: outcome.job.id },
      resourceGroup: 'rg-chatops',
    });
  });
});

describe('decisions execute to outcomes', () => {
  let approvals: ApprovalWorkflow;
  let now = new Date(AS_OF);
  let asked: ApprovalRecord;
  const alice = { id: 'web:alice', name: 'Alice' };
  const bob = { id: 'web:bob', name: 'Bob' };

  beforeAll(async () => {
    const db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'outcomes-')), 'bot.db'));
    approvals = new ApprovalWorkflow({
      logger: silentLogger,
      db,
      audit: new AuditLog(db, () => now),
      now: () => now,
      run: async () => ({ outcome: 'done' }),
    });
    asked = await approvals.request({
      action: 'resourcegroup.delete',
      args: { name: 'rg-test' },
      title: 'Delete a resource group',
      target: 'rg-test',
      confirmName: 'rg-test',
      consequences: ['Everything in rg-test is deleted.'],
      plan: [],
      requester: alice,
      platform: 'web',
    });
  });

  const approve = (user: typeof alice, confirmName?: string) =>
    approveCommand.execute(
      { id: asked.id, ...(confirmName ? { confirmName } : {}) },
      contextOf({ approvals, user, roles: ['approver'] }),
    );

  it('carries the reason code of a refused approval, and leaves the request open', async () => {
    expect(asked).toMatchObject({
      state: 'requested',
      title: 'Delete a resource group',
      confirmName: 'rg-test',
    });
    expect(await approve(alice, 'rg-test')).toMatchObject({
      kind: 'approval-decided',
      decision: { result: 'refused', reason: 'approval.self', request: { id: asked.id, state: 'requested' } },
    });
    expect(await approve(bob, 'rg-other')).toMatchObject({
      decision: { result: 'refused', reason: 'approval.name_mismatch' },
    });
    const cancel = await cancelCommand.execute({ id: asked.id }, contextOf({ approvals, user: bob }));
    expect(cancel).toMatchObject({ decision: { result: 'refused', reason: 'approval.not_requester' } });
  });

  it('refuses an expired request with its code, and the request is expired', async () => {
    now = new Date(Date.parse(asked.expiresAt) + 1000);
    expect(await approve(bob, 'rg-test')).toMatchObject({
      decision: { result: 'refused', reason: 'approval.expired', request: { state: 'expired' } },
    });
    // Decided now: another try changes nothing, and says so.
    expect(await approve(bob, 'rg-test')).toMatchObject({
      decision: { result: 'decided', tookEffect: false, request: { state: 'expired' } },
    });
  });
});
