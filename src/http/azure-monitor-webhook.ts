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
 * What a refused caller is told: a fixed text, the reason only in the log (a probe learns nothing
 * about why its token failed).
 */
const REFUSED: Record<number, { code: string; message: string }> = {
  401: { code: 'auth.unauthenticated', message: 'Authentication failed.' },
  403: { code: 'auth.role', message: 'Not allowed.' },
};

/**
 * Azure Monitor alerts pushed in by an Action Group's secure webhook (common alert schema). The
 * token is checked before the body is parsed (the server has read it within its limit); there is
 * no unauthenticated way in. The answer is 200 once the alert is handled (Action Groups retry on
 * 5xx and timeouts: the alert store makes a retried alert post nothing twice); an alert that is
 * not about a backup job, or one the bot cannot act on (a vault it cannot read, a job that is not
 * there), is acknowledged and set aside with a warning in the log: retrying would not change it.
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
      const status = isAppError(e) && e.statusCode === 403 ? 403 : 401;
      o.logger.warn('azure monitor alert refused', {
        status,
        code: isAppError(e) ? e.code : undefined,
        reason: e instanceof Error ? e.message : String(e),
      });
      res.setHeader('www-authenticate', 'Bearer');
      sendJson(res, status, { error: REFUSED[status] });
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
    let posted: number;
    try {
      posted = await o.onBackupJobAlert(alert);
    } catch (e) {
      // A coded error is about this alert (its vault or job), and a retry would meet it again;
      // anything else (the store, a crash) is answered 500 so that Azure Monitor tries again.
      if (!isAppError(e) || isTransient(e)) throw e;
      o.logger.warn('azure monitor alert set aside: the bot cannot act on it', {
        alertId: alert.alertId,
        vault: alert.vault,
        jobId: alert.jobId,
        code: e.code,
        reason: e.message,
      });
      sendJson(res, 202, { status: 'ignored', reason: e.code });
      return true;
    }
    o.logger.info('azure monitor backup alert', { alertId: alert.alertId, jobId: alert.jobId, posted });
    sendJson(res, 200, { status: 'accepted', posted });
    return true;
  };
}

/** Throttling or an outage on Azure's side: worth Azure Monitor's retry. */
function isTransient(e: AppError): boolean {
  const status = e.statusCode ?? 0;
  return status === 408 || status === 429 || status >= 500;
}
