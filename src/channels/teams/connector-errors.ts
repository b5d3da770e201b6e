// 500 included: the Bot Connector answers it for passing trouble on its side too.
const RETRYABLE = new Set([412, 429, 500, 502, 503, 504]);

/**
 * Whether a failed Bot Connector call may be tried again, and after how long. botbuilder throws a
 * RestError (`statusCode`), the Agents SDK an HttpError (`status`); both carry the response's
 * headers with a `get`.
 */
export function classifyConnectorError(e: unknown): { retryAfterMs?: number } | undefined {
  const err = e as {
    statusCode?: number;
    status?: number;
    response?: { headers?: { get?(name: string): string | null | undefined } };
  };
  const status = err.statusCode ?? err.status;
  if (!status || !RETRYABLE.has(status)) return undefined;
  const header = err.response?.headers?.get?.('retry-after');
  const after = header === null || header === undefined ? NaN : Number(header);
  return Number.isFinite(after) && after >= 0 ? { retryAfterMs: after * 1000 } : {};
}
