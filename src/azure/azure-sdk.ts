import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The Azure SDK packages, each loaded on first use through its CommonJS build.
 *
 * CommonJS, because `@azure/arm-recoveryservicesbackup` 12 and `@azure/arm-recoveryservices` 6
 * ship CommonJS only and so load the CommonJS builds of `@azure/core-client`,
 * `@azure/core-rest-pipeline` and the rest of the core; an ESM `import` of the dual packages
 * (Compute, Resources, identity, the core itself) loaded their ESM builds beside them, a second
 * copy of the whole Azure core in memory. On first use, because the JobWatcher needs only the
 * Backup client, and Compute alone is some 30 MB of RSS that only `list vms`, `enable backup` and
 * restore need. See docs/performance.md (Memory) for what each part measured.
 *
 * Types come from the packages' own declarations (`import type` elsewhere, elided at run time).
 */
export const azureSdk = {
  get backup(): typeof import('@azure/arm-recoveryservicesbackup') {
    return require('@azure/arm-recoveryservicesbackup');
  },
  get vaults(): typeof import('@azure/arm-recoveryservices') {
    return require('@azure/arm-recoveryservices');
  },
  get compute(): typeof import('@azure/arm-compute') {
    return require('@azure/arm-compute');
  },
  get resources(): typeof import('@azure/arm-resources') {
    return require('@azure/arm-resources');
  },
  get subscriptions(): typeof import('@azure/arm-resources-subscriptions') {
    return require('@azure/arm-resources-subscriptions');
  },
  get identity(): typeof import('@azure/identity') {
    return require('@azure/identity');
  },
  get pipeline(): typeof import('@azure/core-rest-pipeline') {
    return require('@azure/core-rest-pipeline');
  },
};

/** Whether a package has been loaded in this process (for tests of what loads when). */
export function isAzurePackageLoaded(name: string): boolean {
  const entry = require.resolve(name);
  return entry in require.cache;
}
