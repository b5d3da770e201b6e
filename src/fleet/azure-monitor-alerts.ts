import type { AppConfig } from '../config.js';
import { azureMonitorWebhookRoute } from '../http/azure-monitor-webhook.js';
import type { RouteHandler } from '../http/http-server.js';
import { EntraTokenValidator, entraIssuers, entraMetadataUrl } from '../identity/entra-token-validator.js';
import type { ScheduledJobAlerter } from '../jobs/scheduled-job-alerts.js';
import type { Logger } from '../logger.js';

/**
 * The Azure Monitor alert webhook, when configured: Entra tokens for the bot's app, then Azure
 * Backup job alerts of this subscription's vaults turned into the polling alerter's cards.
 */
export function azureMonitorAlertRoute(
  config: AppConfig,
  alerter: ScheduledJobAlerter | undefined,
  logger: Logger,
): RouteHandler | undefined {
  const settings = config.alertWebhook;
  if (!settings || !alerter) return undefined;
  const validator = new EntraTokenValidator({
    metadataUrl: settings.openIdMetadataUrl ?? entraMetadataUrl(settings.tenantId),
    audiences: settings.audiences,
    issuers: entraIssuers(settings.tenantId),
  });
  return azureMonitorWebhookRoute({
    authenticate: (authorization) => validator.validate(authorization),
    onBackupJobAlert: async (alert) => {
      if (alert.subscriptionId.toLowerCase() !== config.azure.subscriptionId.toLowerCase()) {
        logger.warn('azure monitor alert for another subscription set aside', { alertId: alert.alertId });
        return 0;
      }
      return alerter.alertJob({ vault: alert.vault, resourceGroup: alert.resourceGroup }, alert.jobId);
    },
    logger,
  });
}
