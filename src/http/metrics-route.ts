import type { Metrics } from '../metrics/metrics.js';
import type { RouteHandler } from './http-server.js';

/** GET /metrics: the Prometheus exposition of the bot's metrics. */
export function metricsRoute(metrics: Metrics): RouteHandler {
  return async (req, res, url) => {
    if (url.pathname !== '/metrics' || req.method !== 'GET') return false;
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
    return true;
  };
}
