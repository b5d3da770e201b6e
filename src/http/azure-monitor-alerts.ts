import type { AzureSettings } from '../azure/azure-settings.js';
import type { AlertWebhookSettings } from '../fleet/alert-settings.js';
import { azureMonitorWebhookRoute } from './azure-monitor-webhook.js';
import type { RouteHandler } from './http-server.js';
import { EntraTokenValidator, entraIssuers, entraMetadataUrl } from '../identity/entra-token-validator.js';
import { requireAppRole } from '../identity/app-role.js';
import type { ScheduledJobAlerter } from '../jobs/scheduled-job-alerts.js';
import type { Logger } from '../logger.js';

/**
 * The Azure Monitor alert webhook, when configured: Entra tokens for the bot's app, then Azure
 * Backup job alerts of this subscription's vaults turned into the polling alerter's cards.
 */
export function azureMonitorAlertRoute(
  config: {
    alertWebhook?: AlertWebhookSettings;
    azure: Pick<AzureSettings, 'subscriptionId' | 'subscriptions'>;
  },
  alerter: ScheduledJobAlerter | undefined,
  logger: Logger,
): RouteHandler | undefined {
  const settings = config.alertWebhook;
  if (!settings || !alerter) return undefined;
  const configured = [config.azure.subscriptionId, ...config.azure.subscriptions.map((s) => s.id)];
  const validator = new EntraTokenValidator({
    metadataUrl: settings.openIdMetadataUrl ?? entraMetadataUrl(settings.tenantId),
    audiences: settings.audiences,
    issuers: entraIssuers(settings.tenantId),
  });
  return azureMonitorWebhookRoute({
    // A valid token (401 otherwise) that carries the Action Groups' app role (403 otherwise).
    authenticate: async (authorization) =>
      requireAppRole(await validator.validate(authorization), settings.role),
    onBackupJobAlert: async (alert) => {
      // Any configured subscription's, read in that subscription: its vault's name may
      // be another subscription's too.
      const subscription = configured.find((id) => id.toLowerCase() === alert.subscriptionId.toLowerCase());
      if (!subscription) {
        logger.warn('azure monitor alert for another subscription set aside', { alertId: alert.alertId });
        return 0;
      }
      return alerter.alertJob(
        { vault: alert.vault, resourceGroup: alert.resourceGroup, subscription },
        alert.jobId,
      );
    },
    logger,
  });
}
