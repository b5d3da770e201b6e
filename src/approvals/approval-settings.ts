import type { EnvReader } from '../domain/env-reader.js';

/** APPROVAL_TTL_MINUTES: how long a destructive request can be approved, in ms. */
export function readApprovalTtlMs(read: EnvReader): number {
  return read.int('APPROVAL_TTL_MINUTES', 60, 1, 7 * 24 * 60) * 60_000;
}
