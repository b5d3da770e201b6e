import type { ApprovalRecord, Decision } from '../domain/index.js';
import type { AuditEntry } from '../approvals/audit-log.js';
import type { VaultTarget } from '../azure/backup-service.js';
import type {
  BackupJob,
  EnableProtectionResult,
  ExpectedConsistency,
  Policy,
  RecoveryPoint,
  StopProtectionResult,
  Vault,
  VmStatus,
} from '../domain/index.js';
import type { DigestReport } from '../domain/index.js';
import type { AlertSubscription } from '../store/alert-subscription-store.js';
import type { DigestSchedule } from '../store/digest-schedule-store.js';
import type { Role } from './roles.js';

/** A question for text that could mean more than one thing (ambiguity.ts finds them). */
export interface Clarification {
  question: string;
  /** Buttons: each runs its text as a typed command. */
  choices: { title: string; text: string }[];
  /** Destructive readings, shown as words to type (never a button). */
  typed: string[];
}

/** A command as help lists it: its declaration's words, and how it is typed (usage.ts helpEntryOf). */
export interface CommandHelp {
  id: string;
  title: string;
  summary: string;
  usage: string;
  examples: string[];
}

/** The vaults an alert subscription covers: one vault, or every vault the bot alerts for. */
export type AlertScope = { vault: string; resourceGroup: string; subscription?: string } | 'all';

/**
 * What a command did, in domain and service terms: a command's `execute` returns one,
 * and `presentOutcome` (present-outcome.ts) is the one place that turns each kind into a `Reply`
 * (its view, and the job to watch). No words for people here; facts only.
 */
export type CommandOutcome =
  | { kind: 'help'; roles: readonly Role[]; commands: readonly CommandHelp[] }
  | { kind: 'clarification'; clarification: Clarification }
  | { kind: 'vms-listed'; vault: Pick<Vault, 'name' | 'location'>; vms: VmStatus[] }
  /** `list vms across all vaults`: the vaults read and every VM of their subscriptions. */
  | { kind: 'vms-listed-everywhere'; vaults: Vault[]; vms: VmStatus[] }
  | { kind: 'vaults-listed'; vaults: Vault[]; defaultVault: string }
  | { kind: 'vault-created'; vault: Vault; created: boolean }
  | { kind: 'policies-listed'; vaultName: string; policies: Policy[] }
  | { kind: 'policy-read'; vaultName: string; policy: Policy }
  | { kind: 'policy-created'; vaultName: string; policy: Policy }
  | { kind: 'backup-enabled'; vaultName: string; result: EnableProtectionResult }
  /**
   * A job the command started (a backup, a restore) or, after a crash, found it had started: shown
   * and watched to its end. Retain-until and consistency are known for a backup started just now.
   */
  | {
      kind: 'job-started';
      job: BackupJob;
      resourceGroup: string;
      retainUntil?: string;
      consistency?: ExpectedConsistency;
    }
  /** A job looked at (`job <id>`, a card's refresh): watched while it is in progress. */
  | { kind: 'job-read'; job: BackupJob; resourceGroup: string }
  /** `description`: the filter as the phrase parser said it. */
  | { kind: 'jobs-listed'; vaultName: string; description: string; jobs: BackupJob[] }
  | { kind: 'recovery-points-listed'; vmName: string; vaultName: string; points: RecoveryPoint[] }
  | { kind: 'restore-options'; vm: VmStatus; vaultName: string; points: RecoveryPoint[] }
  /** `stop backup for myVM` without "confirm": nothing stopped, the VM (and vault named) to confirm for. */
  | { kind: 'stop-backup-unconfirmed'; vm: VmStatus; target?: VaultTarget }
  | { kind: 'backup-stopped'; vaultName: string; result: StopProtectionResult }
  | { kind: 'resource-group-deleted'; name: string }
  /** A destructive command's request, waiting for an approver (the registry's gate makes it). */
  | { kind: 'approval-requested'; request: ApprovalRecord }
  | { kind: 'approval-decided'; decision: Decision }
  | { kind: 'audit-listed'; entries: AuditEntry[]; target?: string }
  | { kind: 'alerts-subscribed'; added: boolean; scope: AlertScope; onlyFailures: boolean }
  /** `scope` undefined: every subscription of the conversation. */
  | { kind: 'alerts-unsubscribed'; removed: number; scope?: AlertScope }
  | { kind: 'subscriptions-listed'; subscriptions: AlertSubscription[]; digest?: DigestSchedule }
  | { kind: 'digest-scheduled'; time: string; fromTomorrow: boolean }
  | { kind: 'digest-stopped'; removed: boolean }
  | { kind: 'health-reported'; report: DigestReport };

export type OutcomeKind = CommandOutcome['kind'];
