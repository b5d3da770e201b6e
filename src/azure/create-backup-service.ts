import { Agent } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { AzureSettings } from './azure-settings.js';
import { AzureBackupService } from './azure-backup-service.js';
import { createAzureClients } from './azure-clients.js';
import { azureSdk } from './azure-sdk.js';
import { RequestBudgetScheduler } from './request-budget-scheduler.js';
import { SandboxCredential } from './sandbox-credential.js';
import { SubscriptionFleet } from './subscription-fleet.js';
import type { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

function observePolicy(observe: NonNullable<BackupServiceWiring['observe']>): PipelinePolicy {
  return {
    name: 'backupChatopsObserve',
    async sendRequest(request, next) {
      const response = await next(request);
      observe(request.method, new URL(request.url).pathname, response.status);
      return response;
    },
  };
}

export interface BackupServiceWiring {
  azure: AzureSettings;
  /** In sandbox mode: where the sandbox listens and the certificate it serves. */
  sandbox?: { url: string; certificatePem: string };
  now?: () => Date;
  /** Told of every ARM response (retries included), for metrics. */
  observe?: (method: string, path: string, status: number) => void;
}

/**
 * Builds the backup service for real Azure (DefaultAzureCredential: managed identity, workload
 * identity, environment service principal or Azure CLI login) or for the sandbox (a fixed token
 * over HTTPS to a server whose self-signed certificate is trusted by this agent alone): one
 * AzureBackupService per configured subscription, each with its own clients and its own request
 * scheduler (the Recovery Services budget is counted per subscription), behind one fleet.
 */
export function createBackupService(w: BackupServiceWiring): SubscriptionFleet {
  const { azure } = w;
  if (azure.mode === 'sandbox' && !w.sandbox) throw new Error('Sandbox mode needs a running sandbox.');
  const credential = w.sandbox ? new SandboxCredential() : new azureSdk.identity.DefaultAzureCredential();
  const endpoint = w.sandbox?.url ?? azure.armEndpoint;
  // One secure context for every connection: given only `ca`, Node parses the certificate into a
  // new context for each TLS connection, which showed in profiles of 50 concurrent commands.
  const agent = w.sandbox
    ? new Agent({ keepAlive: true, secureContext: createSecureContext({ ca: w.sandbox.certificatePem }) })
    : undefined;
  // The first subscription is always the top-level one (callers may override it); the rest are listed.
  const subscriptions = [
    { id: azure.subscriptionId, vaultName: azure.vaultName, vaultResourceGroup: azure.vaultResourceGroup },
    ...azure.subscriptions.slice(1),
  ];
  const members = subscriptions.map((sub) => {
    const clients = createAzureClients({
      subscriptionId: sub.id,
      credential,
      endpoint,
      agent,
      retry: azure.retry,
      // Every attempt spends the subscription's Recovery Services budget, people's first.
      policies: [
        new RequestBudgetScheduler(azure.requestBudget).policy(),
        ...(w.observe ? [observePolicy(w.observe)] : []),
      ],
    });
    const defaultVault = { name: sub.vaultName, resourceGroup: sub.vaultResourceGroup };
    const service = new AzureBackupService({
      clients,
      endpoint,
      subscriptionId: sub.id,
      defaultVault,
      follow: { maxIntervalMs: azure.operationPollMaxIntervalMs, timeoutMs: azure.operationTimeoutMs },
      lroPollIntervalMs: Math.min(azure.operationPollMaxIntervalMs, 2_000),
      restore: azure.restore,
      now: w.now,
    });
    return { id: sub.id, service, defaultVault };
  });
  // Built on first use (the `subscriptions` command), as the clients are.
  let subscriptionClient: SubscriptionClient | undefined;
  return new SubscriptionFleet(members, async () => {
    subscriptionClient ??= new azureSdk.subscriptions.SubscriptionClient(credential, {
      endpoint,
      $host: endpoint,
      agent,
      retryOptions: { maxRetries: azure.retry.maxRetries, retryDelayInMs: azure.retry.retryDelayInMs },
      userAgentOptions: { userAgentPrefix: 'backup-chatops' },
    });
    const names = new Map<string, string>();
    for await (const s of subscriptionClient.subscriptions.list()) {
      if (s.subscriptionId && s.displayName) names.set(s.subscriptionId.toLowerCase(), s.displayName);
    }
    return names;
  });
}
