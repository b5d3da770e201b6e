import { MIN_WINDOWS_AGENT } from '../domain/index.js';

/** A failure a backup phase can end with, as a job's errorDetails entry carries it. */
export interface JobFailure {
  /** Azure's readable code (the sandbox sends it as errorTitle). */
  code: string;
  /** errorCode is numeric in the API. */
  numericCode: number;
  message: string;
  recommendations: string[];
}

/** The VM agent is missing, not responding, or too old (DESIGN.md rule 9). */
export const AGENT_UNAVAILABLE: JobFailure = {
  code: 'UserErrorGuestAgentStatusUnavailable',
  numericCode: 400_094,
  message: 'VM Agent unable to communicate with Azure Backup.',
  recommendations: [
    `Ensure the VM agent is installed, running and up to date (Windows: ${MIN_WINDOWS_AGENT} or later; Linux: walinuxagent from the distribution), then retry the operation.`,
  ],
};

/** What failNextBackup(vm, 'snapshot') makes a snapshot fail with. */
export const SNAPSHOT_FAILED: JobFailure = {
  code: 'ExtensionSnapshotFailedNoNetwork',
  numericCode: 400_008,
  message: 'Snapshot operation failed due to no network connectivity on the virtual machine.',
  recommendations: ['Ensure the VM has outbound network access to Azure, then retry the operation.'],
};

/** What failNextBackup(vm, 'transfer') makes a transfer fail with. */
export const TRANSFER_FAILED: JobFailure = {
  // The VM transfer-phase failure of the Azure Backup troubleshooting docs; its numeric code is not
  // documented (the number here is the sandbox's).
  code: 'CopyingVHDsFromBackUpVaultTakingLongTime',
  numericCode: 400_231,
  message: 'Copying backed up data from vault timed out',
  recommendations: ['No action is needed if the next scheduled backup succeeds; otherwise contact support.'],
};
