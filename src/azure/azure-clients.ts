import type { Agent } from 'node:https';
import type { ComputeManagementClient } from '@azure/arm-compute';
import type { RecoveryServicesClient } from '@azure/arm-recoveryservices';
import type { RecoveryServicesBackupClient } from '@azure/arm-recoveryservicesbackup';
import type { ResourceManagementClient } from '@azure/arm-resources';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { RetrySettings } from './azure-settings.js';
import { azureSdk } from './azure-sdk.js';

/**
 * The four official SDK clients the backup service uses, all pointed at one ARM endpoint. Each is
 * built, and its package loaded, the first time it is asked for: a bot that only watches jobs
 * never loads Compute or Resources (see azure-sdk.ts).
 */
export interface AzureClients {
  readonly backup: RecoveryServicesBackupClient;
  readonly vaults: RecoveryServicesClient;
  readonly compute: ComputeManagementClient;
  readonly resources: ResourceManagementClient;
}

export interface AzureClientOptions {
  subscriptionId: string;
  credential: TokenCredential;
  /** ARM endpoint: https://management.azure.com, or the sandbox's URL. */
  endpoint: string;
  /** Trusts the sandbox's self-signed certificate; undefined for real Azure. */
  agent?: Agent;
  retry: RetrySettings;
  /** Extra pipeline policies (request accounting, for example). */
  policies?: PipelinePolicy[];
}

export function createAzureClients(o: AzureClientOptions): AzureClients {
  // `endpoint` and `$host` are both set: some operations build URLs from one, some from the other.
  const options = {
    endpoint: o.endpoint,
    $host: o.endpoint,
    agent: o.agent,
    retryOptions: {
      maxRetries: o.retry.maxRetries,
      retryDelayInMs: o.retry.retryDelayInMs,
      maxRetryDelayInMs: o.retry.maxRetryDelayInMs,
    },
    userAgentOptions: { userAgentPrefix: 'backup-chatops' },
    additionalPolicies: (o.policies ?? []).map((policy) => ({ policy, position: 'perRetry' as const })),
  };
  let backup: RecoveryServicesBackupClient | undefined;
  let vaults: RecoveryServicesClient | undefined;
  let compute: ComputeManagementClient | undefined;
  let resources: ResourceManagementClient | undefined;
  return {
    get backup() {
      return (backup ??= new azureSdk.backup.RecoveryServicesBackupClient(
        o.credential,
        o.subscriptionId,
        options,
      ));
    },
    get vaults() {
      return (vaults ??= new azureSdk.vaults.RecoveryServicesClient(o.credential, o.subscriptionId, options));
    },
    get compute() {
      return (compute ??= new azureSdk.compute.ComputeManagementClient(
        o.credential,
        o.subscriptionId,
        options,
      ));
    },
    get resources() {
      return (resources ??= new azureSdk.resources.ResourceManagementClient(
        o.credential,
        o.subscriptionId,
        options,
      ));
    },
  };
}
