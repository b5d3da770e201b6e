import type { TestProject } from 'vitest/node';
import { findPostgresBin, startTestPostgres } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test PostgreSQL server (a superuser URL), or null with `postgresMissing` saying why. */
    postgresUrl: string | null;
    postgresMissing: string;
  }
}

/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL when given, else a throwaway cluster
 * started from the installed server programs. In CI a missing server fails the run (.ci/run
 * installs Debian's postgresql); on a developer machine the PostgreSQL tests are left out with a
 * printed reason.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    project.provide('postgresMissing', '');
    return undefined;
  }
  const bin = findPostgresBin();
  if (!bin) {
    const why =
      'no PostgreSQL server programs (apt-get install -y postgresql), and TEST_DATABASE_URL is not set';
    if (process.env.CI) throw new Error(`PostgreSQL tests cannot run in CI: ${why}.`);
    project.provide('postgresUrl', null);
    project.provide('postgresMissing', why);
    return undefined;
  }
  const server = await startTestPostgres(bin);
  project.provide('postgresUrl', server.url);
  project.provide('postgresMissing', '');
  return () => server.stop();
}
