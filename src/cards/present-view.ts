import { presentJobAlert } from './present-alert.js';
import { presentApproval } from './present-approval.js';
import {
  presentError,
  presentHelp,
  presentMessage,
  presentResourceGroup,
  presentVault,
  presentVaultList,
} from './present-basics.js';
import { presentJob, presentJobList } from './present-job.js';
import { presentPolicy, presentPolicyList } from './present-policy.js';
import {
  presentEnableBackup,
  presentRecoveryPoints,
  presentStopBackup,
  presentVmList,
} from './present-protection.js';
import { presentRestoreOptions } from './present-restore.js';
import type { View } from './views.js';

type Kind = View['kind'];

/** View → flat template data. Formatting lives in the presenters (tested); layout in /cards/<kind>.json. */
const PRESENTERS: { [K in Kind]: (v: Extract<View, { kind: K }>) => object } = {
  job: presentJob,
  'job-list': presentJobList,
  'vm-list': presentVmList,
  'enable-backup': presentEnableBackup,
  'stop-backup': presentStopBackup,
  'recovery-points': presentRecoveryPoints,
  'restore-options': presentRestoreOptions,
  policy: presentPolicy,
  'policy-list': presentPolicyList,
  help: presentHelp,
  message: presentMessage,
  error: presentError,
  vault: presentVault,
  'vault-list': presentVaultList,
  'resource-group': presentResourceGroup,
  approval: presentApproval,
  'job-alert': presentJobAlert,
};

export const VIEW_KINDS = Object.keys(PRESENTERS) as Kind[];

/** The data a card template is expanded with. Every field is defined: the engine leaves `${x}` in place for a missing one. */
export function presentView(view: View): object {
  // The map is keyed by kind, so the presenter matches the view; TypeScript cannot correlate the two.
  const present = PRESENTERS[view.kind] as (v: View) => object;
  return present(view);
}
