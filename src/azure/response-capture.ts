import type { FullOperationResponse } from '@azure/core-client';

/**
 * The SDK's write calls resolve to nothing on 202: the status and the `Azure-AsyncOperation` /
 * `Location` / `Retry-After` headers are read through the `onResponse` request option.
 */
export class ResponseCapture {
  status: number | undefined;
  private response: FullOperationResponse | undefined;

  readonly onResponse = (raw: FullOperationResponse): void => {
    this.response = raw;
    this.status = raw.status;
  };

  /** For a client that polls with the same options (the SDK's restore poller): the first response only. */
  readonly onFirstResponse = (raw: FullOperationResponse): void => {
    if (this.response === undefined) this.onResponse(raw);
  };

  header(name: string): string | undefined {
    return this.response?.headers.get(name) ?? undefined;
  }

  /** Retry-After in ms (`retry-after-ms` first, as ARM sends both), or undefined. */
  retryAfterMs(): number | undefined {
    const ms = Number(this.header('retry-after-ms') ?? this.header('x-ms-retry-after-ms'));
    if (Number.isFinite(ms) && ms >= 0 && this.header('retry-after-ms') !== undefined) return ms;
    const s = this.header('retry-after');
    if (s === undefined) return undefined;
    const secs = Number(s);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const at = Date.parse(s);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
  }

  /** The operation id: last path segment of the Azure-AsyncOperation (else Location) URL. */
  operationId(): string | undefined {
    const url = this.header('azure-asyncoperation') ?? this.header('location');
    if (!url) return undefined;
    const path = new URL(url).pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || undefined;
  }
}
