import type { Agent } from 'node:https';
import { ComputeManagementClient } from '@azure/arm-compute';
import { RecoveryServicesClient } from '@azure/arm-recoveryservices';
import { RecoveryServicesBackupClient } from '@azure/arm-recoveryservicesbackup';
import { ResourceManagementClient } from '@azure/arm-resources';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { RetrySettings } from '../config.js';

/** The four official SDK clients the backup service uses, all pointed at one ARM endpoint. */
export interface AzureClients {
  backup: RecoveryServicesBackupClient;
  vaults: RecoveryServicesClient;
  compute: ComputeManagementClient;
  resources: ResourceManagementClient;
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
  return {
    backup: new RecoveryServicesBackupClient(o.credential, o.subscriptionId, options),
    vaults: new RecoveryServicesClient(o.credential, o.subscriptionId, options),
    compute: new ComputeManagementClient(o.credential, o.subscriptionId, options),
    resources: new ResourceManagementClient(o.credential, o.subscriptionId, options),
  };
}
