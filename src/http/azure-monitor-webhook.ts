import { AppError, isAppError } from '../domain/errors.js';
import type { TokenClaims } from '../identity/entra-token-validator.js';
import type { MonitorAlert } from '../jobs/monitor-alert-payload.js';
import { MonitorAlertError, parseMonitorAlert } from '../jobs/monitor-alert-payload.js';
import type { Logger } from '../logger.js';
import { readJson, sendJson } from './http-helpers.js';
import type { RouteHandler } from './http-server.js';

export const AZURE_MONITOR_WEBHOOK_PATH = '/api/azure-monitor/alerts';

export interface AzureMonitorWebhookOptions {
  /** Checks the Action Group's Entra token (secure webhook); throws `auth.*` when it is not valid. */
  authenticate: (authorization: string | undefined) => Promise<TokenClaims>;
  /** Acts on an Azure Backup job alert; returns the alert cards posted. */
  onBackupJobAlert: (alert: Extract<MonitorAlert, { kind: 'backup-job' }>) => Promise<number>;
  logger: Logger;
}

/**
 * Azure Monitor alerts pushed in by an Action Group's secure webhook (common alert schema). The
 * token is checked before the body is read; there is no unauthenticated way in. The answer is 200
 * once the alert is handled (Action Groups retry on 5xx and timeouts: the alert store makes a
 * retried alert post nothing twice); an alert that is not about a backup job is acknowledged and
 * set aside.
 */
export function azureMonitorWebhookRoute(o: AzureMonitorWebhookOptions): RouteHandler {
  return async (req, res, url) => {
    if (url.pathname !== AZURE_MONITOR_WEBHOOK_PATH) return false;
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'POST an alert.' } });
      return true;
    }
    try {
      await o.authenticate(req.headers.authorization);
    } catch (e) {
      const status = isAppError(e) && e.statusCode ? e.statusCode : 401;
      o.logger.warn('azure monitor alert refused', { reason: e instanceof Error ? e.message : String(e) });
      res.setHeader('www-authenticate', 'Bearer');
      sendJson(res, status, {
        error: { code: isAppError(e) ? e.code : 'auth.token', message: String((e as Error).message) },
      });
      return true;
    }
    let alert: MonitorAlert;
    try {
      alert = parseMonitorAlert(await readJson(req));
    } catch (e) {
      if (e instanceof MonitorAlertError)
        throw new AppError('validation.alert', e.message, { statusCode: 400 });
      throw e;
    }
    if (alert.kind === 'ignored') {
      o.logger.info('azure monitor alert set aside', { alertId: alert.alertId, reason: alert.reason });
      sendJson(res, 200, { status: 'ignored', reason: alert.reason });
      return true;
    }
    const posted = await o.onBackupJobAlert(alert);
    o.logger.info('azure monitor backup alert', { alertId: alert.alertId, jobId: alert.jobId, posted });
    sendJson(res, 200, { status: 'accepted', posted });
    return true;
  };
}
