import type {
  ApprovalRecord,
  BackupJob,
  EnableProtectionResult,
  Policy,
  RecoveryPoint,
  ResourceGroupSummary,
  StopProtectionResult,
  Vault,
  VmStatus,
} from '../domain/index.js';
import type { Verb } from './verbs.js';

/**
 * What the bot shows, as typed data (STYLE.md principle 5). Handlers return views; the Adaptive
 * Card renderer (Teams, web chat) and the Block Kit renderer (Slack) turn the same view into
 * platform messages. Views carry no platform markup.
 */

/** A button: a dotted verb from the shared vocabulary and its data (STYLE.md principle 6). */
export interface ViewAction {
  verb: Verb;
  title: string;
  data: Record<string, string>;
  style?: 'positive' | 'destructive';
  /** The card input the button sends with it (the approver's typed name); Slack asks in a modal. */
  input?: string;
}

export type { Verb } from './verbs.js';
export { VERBS } from './verbs.js';

/** A link button (the Azure portal): opens a page, runs nothing. */
export interface ViewLink {
  title: string;
  url: string;
}

export interface HelpView {
  kind: 'help';
  role: string;
  /** `usage`: how the command is typed, from its declared arguments ("backup <vm> now [for <n> days]"). */
  commands: { id: string; title: string; summary: string; usage?: string; examples: string[] }[];
}

export interface MessageView {
  kind: 'message';
  tone: 'info' | 'success' | 'warning';
  title: string;
  text: string;
  facts?: { title: string; value: string }[];
  actions?: ViewAction[];
}

export interface ErrorView {
  kind: 'error';
  title: string;
  /** Stable code (`validation.*`, `azure.<ServiceCode>`, `auth.forbidden`…), shown small. */
  code: string;
  message: string;
  hint?: string;
  /** "Did you mean …" for unknown commands and names. */
  suggestions?: string[];
}

export interface VmListView {
  kind: 'vm-list';
  vault: Pick<Vault, 'name' | 'location'>;
  vms: VmStatus[];
  /** Every vault of every subscription: `vault` then names the span, not one vault. */
  across?: boolean;
}

export interface VaultView {
  kind: 'vault';
  vault: Vault;
  created: boolean;
}

export interface VaultListView {
  kind: 'vault-list';
  vaults: Vault[];
  defaultVault: string;
}

export interface PolicyListView {
  kind: 'policy-list';
  vaultName: string;
  policies: Policy[];
}

export interface PolicyView {
  kind: 'policy';
  vaultName: string;
  policy: Policy;
  created: boolean;
}

export interface EnableBackupView {
  kind: 'enable-backup';
  vaultName: string;
  result: EnableProtectionResult;
}

export interface JobView {
  kind: 'job';
  job: BackupJob;
  /** The resource group of the job's vault (cards' refresh names the vault). */
  resourceGroup?: string;
  /** When the view was made: elapsed times are computed against it. */
  asOf: string;
  /** Last day the recovery point is kept, for a backup started from chat. */
  retainUntil?: string;
  /** Expected consistency, for a backup started from chat. */
  consistency?: string;
  portalUrl?: string;
}

export interface JobListView {
  kind: 'job-list';
  vaultName: string;
  /** Plain words for the filter used ("failed jobs of myVM in the last 24 hours"). */
  description: string;
  jobs: BackupJob[];
  asOf: string;
}

export interface RecoveryPointsView {
  kind: 'recovery-points';
  vmName: string;
  vaultName: string;
  points: RecoveryPoint[];
}

/** `restore myVM`: the VM's newest points and the three ways to restore from them. */
export interface RestoreOptionsView {
  kind: 'restore-options';
  vm: Pick<VmStatus, 'name' | 'resourceGroup' | 'location' | 'extendedZone'>;
  vaultName: string;
  /** Newest first. */
  points: RecoveryPoint[];
  /** The name the "new VM" button proposes. */
  newVmName: string;
}

export interface StopBackupView {
  kind: 'stop-backup';
  vaultName: string;
  result: StopProtectionResult;
}

/** A request's card: the record as it stands, with `action` the command's title. */
export type ApprovalView = { kind: 'approval' } & Omit<ApprovalRecord, 'title'>;

/** A scheduled backup that ended Failed or CompletedWithWarnings, posted unasked to an alert channel. */
export interface JobAlertView {
  kind: 'job-alert';
  /** The job as its details show it (both phases), or as listed when details could not be read. */
  job: BackupJob;
  /** The vault's resource group: alerts come from every watched vault, not only the default one. */
  resourceGroup: string;
  /** Chat commands act on the default vault unless told another: other vaults' cards name theirs. */
  inDefaultVault: boolean;
  asOf: string;
  portalUrl?: string;
}

export interface ResourceGroupView {
  kind: 'resource-group';
  group: ResourceGroupSummary;
}

export type View =
  | HelpView
  | MessageView
  | ErrorView
  | VmListView
  | VaultView
  | VaultListView
  | PolicyListView
  | PolicyView
  | EnableBackupView
  | JobView
  | JobListView
  | RecoveryPointsView
  | RestoreOptionsView
  | StopBackupView
  | ApprovalView
  | ResourceGroupView
  | JobAlertView;
