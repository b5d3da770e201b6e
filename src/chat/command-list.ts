import type { Command } from './command.js';
import { approveCommand, auditCommand, cancelCommand, rejectCommand } from './commands/approvals.js';
import {
  listSubscriptionsCommand,
  subscribeAlertsCommand,
  unsubscribeAlertsCommand,
} from './commands/alert-subscriptions.js';
import { backupNowCommand } from './commands/backup-now.js';
import { backupHealthCommand, scheduleDigestCommand, stopDigestCommand } from './commands/digest.js';
import { createPolicyCommand } from './commands/create-policy.js';
import { createVaultCommand } from './commands/create-vault.js';
import { deleteResourceGroupCommand } from './commands/delete-resource-group.js';
import { enableBackupCommand } from './commands/enable-backup.js';
import { helpCommand } from './commands/help.js';
import { listJobsCommand } from './commands/list-jobs.js';
import { listPoliciesCommand } from './commands/list-policies.js';
import { listVaultsCommand } from './commands/list-vaults.js';
import { listVmsCommand } from './commands/list-vms.js';
import { recoveryPointsCommand } from './commands/recovery-points.js';
import {
  replaceDisksCommand,
  restoreDisksCommand,
  restoreNewVmCommand,
  restoreOptionsCommand,
} from './commands/restore.js';
import { showJobCommand } from './commands/show-job.js';
import { showPolicyCommand } from './commands/show-policy.js';
import { deleteBackupDataCommand, stopBackupCommand } from './commands/stop-backup.js';

/**
 * Every command, in the order the parser tries them: specific phrasings before general ones
 * ("job <id>" before "jobs", "backup jobs" before "backup <vm>").
 */
export const COMMANDS: readonly Command[] = [
  helpCommand,
  listVmsCommand,
  listVaultsCommand,
  createVaultCommand,
  createPolicyCommand,
  showPolicyCommand,
  listPoliciesCommand,
  enableBackupCommand,
  stopBackupCommand,
  deleteBackupDataCommand,
  deleteResourceGroupCommand,
  recoveryPointsCommand,
  restoreOptionsCommand,
  restoreNewVmCommand,
  restoreDisksCommand,
  replaceDisksCommand,
  showJobCommand,
  listJobsCommand,
  // Before "backup <vm> now", which would read "health" as a VM.
  backupHealthCommand,
  backupNowCommand,
  approveCommand,
  rejectCommand,
  cancelCommand,
  auditCommand,
  subscribeAlertsCommand,
  unsubscribeAlertsCommand,
  listSubscriptionsCommand,
  scheduleDigestCommand,
  stopDigestCommand,
];
