import type { EnvReader } from '../domain/env-reader.js';
import { DEFAULT_MAX_CONNECTIONS } from './http-server.js';

export interface HttpSettings {
  host: string;
  port: number;
  /** Open connections at most; past it idle and slow ones make room (HTTP_MAX_CONNECTIONS). */
  maxConnections: number;
}

/** HTTP_HOST, PORT and HTTP_MAX_CONNECTIONS. */
export function readHttpSettings(read: EnvReader): HttpSettings {
  return {
    host: read.string('HTTP_HOST') ?? '127.0.0.1',
    port: read.int('PORT', 3978, 0, 65_535),
    maxConnections: read.int('HTTP_MAX_CONNECTIONS', DEFAULT_MAX_CONNECTIONS, 16, 1_000_000),
  };
}
