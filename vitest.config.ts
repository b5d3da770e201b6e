import { defineConfig } from 'vitest/config';

/**
 * Files that run real processes, servers and chat fakes against wall-clock waits: they run after
 * everything else, two at a time, with no CPU-bound file beside them.
 */
const TIMING_SENSITIVE = ['test/e2e/**/*.test.ts', 'test/channels/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['./test/support/postgres-global-setup.ts'],
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: one fork each. The sandbox and SDK clients are real HTTP, so more forks than
    // cores only make every file slower.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        extends: true,
        test: {
          // Unit, sandbox, store, core and the 100,000-command fuzz (about a minute of one core):
          // none waits on wall-clock time, so the fuzz may share the machine with them.
          name: 'core',
          include: ['test/**/*.test.ts'],
          exclude: TIMING_SENSITIVE,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          // Started only once the core group (and so the fuzz) has finished.
          name: 'timing',
          include: TIMING_SENSITIVE,
          sequence: { groupOrder: 1 },
          // Backstops only: these files' waits fail by themselves once the work stops moving and
          // say what they saw; starting bots, sandboxes and a browser on a loaded machine takes
          // minutes, not the 30 s a unit test gets.
          testTimeout: 300_000,
          hookTimeout: 400_000,
        },
      },
    ],
  },
});
