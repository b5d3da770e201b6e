import { presentDigest } from '../cards/present-digest.js';
import { consistencyWords } from '../cards/protection-words.js';
import type { ChatDefaults } from './command.js';
import type { CommandOutcome, OutcomeKind } from './command-outcome.js';
import type { Reply } from './reply.js';
import { toJobView, watchOf } from './job-view.js';
import { presentDecision, presentApprovalRequest, presentAuditEntries } from './present-approval-outcome.js';
import {
  presentDigestScheduled,
  presentDigestStopped,
  presentSubscribed,
  presentSubscriptions,
  presentUnsubscribed,
} from './present-fleet-outcome.js';
import { presentClarification, presentGroupDeleted, presentStopUnconfirmed } from './present-messages.js';

/** What presenting needs besides the outcome: portal links and the time the view is made at. */
export interface PresentContext {
  defaults: ChatDefaults;
  now: Date;
}

type Presenters = {
  [K in OutcomeKind]: (o: Extract<CommandOutcome, { kind: K }>, c: PresentContext) => Reply;
};

/**
 * Outcome → Reply, one entry per kind of outcome: the one place each rule of presentation lives
 * (a started job is watched to its end; a job looked at is watched while it runs; the name a
 * restore proposes; the words of a refusal). Keyed by kind, so a new kind does not compile until
 * it is presented.
 */
const PRESENTERS: Presenters = {
  help: (o) => ({
    view: {
      kind: 'help',
      role: o.roles.join(', '),
      commands: [...o.commands],
    },
  }),
  clarification: (o) => ({ view: presentClarification(o.clarification) }),
  'vms-listed': (o) => ({ view: { kind: 'vm-list', vault: o.vault, vms: o.vms } }),
  'vms-listed-everywhere': (o) => {
    const subscriptions = new Set(o.vaults.map((v) => v.subscriptionId.toLowerCase())).size;
    const where = `${o.vaults.length} vaults, ${subscriptions} subscription${subscriptions === 1 ? '' : 's'}`;
    return {
      view: { kind: 'vm-list', vault: { name: 'all vaults', location: where }, vms: o.vms, across: true },
    };
  },
  'vaults-listed': (o) => ({ view: { kind: 'vault-list', vaults: o.vaults, defaultVault: o.defaultVault } }),
  'vault-created': (o) => ({ view: { kind: 'vault', vault: o.vault, created: o.created } }),
  'policies-listed': (o) => ({ view: { kind: 'policy-list', vaultName: o.vaultName, policies: o.policies } }),
  'policy-read': (o) => ({
    view: { kind: 'policy', vaultName: o.vaultName, policy: o.policy, created: false },
  }),
  'policy-created': (o) => ({
    view: { kind: 'policy', vaultName: o.vaultName, policy: o.policy, created: true },
  }),
  'backup-enabled': (o) => ({ view: { kind: 'enable-backup', vaultName: o.vaultName, result: o.result } }),
  'job-started': (o, c) => ({
    view: toJobView(o.job, c.defaults, c.now, {
      resourceGroup: o.resourceGroup,
      ...(o.retainUntil ? { retainUntil: o.retainUntil } : {}),
      ...(o.consistency ? { consistency: consistencyWords(o.consistency) } : {}),
    }),
    watch: watchOf(o.job, o.resourceGroup),
  }),
  'job-read': (o, c) => ({
    view: toJobView(o.job, c.defaults, c.now, { resourceGroup: o.resourceGroup }),
    ...(o.job.status === 'InProgress'
      ? {
          watch: watchOf(o.job, o.resourceGroup),
        }
      : {}),
  }),
  'jobs-listed': (o, c) => ({
    view: {
      kind: 'job-list',
      vaultName: o.vaultName,
      description: o.description,
      jobs: o.jobs,
      asOf: c.now.toISOString(),
    },
  }),
  'recovery-points-listed': (o) => ({
    view: { kind: 'recovery-points', vmName: o.vmName, vaultName: o.vaultName, points: o.points },
  }),
  'restore-options': (o) => ({
    view: {
      kind: 'restore-options',
      vm: o.vm,
      vaultName: o.vaultName,
      points: o.points,
      // The name the "new VM" button proposes.
      newVmName: `${o.vm.name}-restored`,
    },
  }),
  'stop-backup-unconfirmed': (o) => ({ view: presentStopUnconfirmed(o.vm.name, o.target) }),
  'backup-stopped': (o) => ({ view: { kind: 'stop-backup', vaultName: o.vaultName, result: o.result } }),
  'resource-group-deleted': (o) => ({ view: presentGroupDeleted(o.name) }),
  'approval-requested': (o) => ({ view: presentApprovalRequest(o.request) }),
  'approval-decided': (o) => presentDecision(o.decision),
  'audit-listed': (o) => ({ view: presentAuditEntries(o.entries, o.target) }),
  'alerts-subscribed': (o) => ({ view: presentSubscribed(o) }),
  'alerts-unsubscribed': (o) => ({ view: presentUnsubscribed(o) }),
  'subscriptions-listed': (o) => ({ view: presentSubscriptions(o) }),
  'digest-scheduled': (o) => ({ view: presentDigestScheduled(o) }),
  'digest-stopped': (o) => ({ view: presentDigestStopped(o.removed) }),
  'health-reported': (o) => ({ view: presentDigest(o.report) }),
};

export const OUTCOME_KINDS = Object.keys(PRESENTERS) as OutcomeKind[];

/** A command's outcome as the chat shows it: the view, the job to watch, and how the audit records it. */
export function presentOutcome(outcome: CommandOutcome, c: PresentContext): Reply {
  // The table is keyed by kind, so the presenter matches the outcome; TypeScript cannot correlate the two.
  const present = PRESENTERS[outcome.kind] as (o: CommandOutcome, c: PresentContext) => Reply;
  return present(outcome, c);
}
