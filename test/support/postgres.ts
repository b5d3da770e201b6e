import { inject } from 'vitest';

export { createTestDatabase } from './postgres-server.js';

/**
 * The run's PostgreSQL server URL, or undefined on a developer machine without one (the reason is
 * printed). In CI the global setup has already failed the run when it is missing.
 */
export function testPostgresUrl(): string | undefined {
  const url = inject('postgresUrl');
  if (!url) console.warn(`PostgreSQL tests not run: ${inject('postgresMissing')}.`);
  return url ?? undefined;
}
