import { Agent } from 'node:https';
import { DefaultAzureCredential } from '@azure/identity';
import type { AzureSettings } from '../config.js';
import { AzureBackupService } from './azure-backup-service.js';
import { createAzureClients } from './azure-clients.js';
import { SandboxCredential } from './sandbox-credential.js';

export interface BackupServiceWiring {
  azure: AzureSettings;
  /** In sandbox mode: where the sandbox listens and the certificate it serves. */
  sandbox?: { url: string; certificatePem: string };
  now?: () => Date;
}

/**
 * Builds the backup service for real Azure (DefaultAzureCredential: managed identity, workload
 * identity, environment service principal or Azure CLI login) or for the sandbox (a fixed token
 * over HTTPS to a server whose self-signed certificate is trusted by this agent alone).
 */
export function createBackupService(w: BackupServiceWiring): AzureBackupService {
  const { azure } = w;
  if (azure.mode === 'sandbox' && !w.sandbox) throw new Error('Sandbox mode needs a running sandbox.');
  const clients = createAzureClients({
    subscriptionId: azure.subscriptionId,
    credential: w.sandbox ? new SandboxCredential() : new DefaultAzureCredential(),
    endpoint: w.sandbox?.url ?? azure.armEndpoint,
    agent: w.sandbox ? new Agent({ ca: w.sandbox.certificatePem, keepAlive: true }) : undefined,
    retry: azure.retry,
  });
  return new AzureBackupService({
    clients,
    subscriptionId: azure.subscriptionId,
    defaultVault: { name: azure.vaultName, resourceGroup: azure.vaultResourceGroup },
    follow: { maxIntervalMs: azure.operationPollMaxIntervalMs, timeoutMs: azure.operationTimeoutMs },
    lroPollIntervalMs: Math.min(azure.operationPollMaxIntervalMs, 2_000),
    now: w.now,
  });
}
