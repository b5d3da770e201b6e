import { createBackupService } from '../azure/create-backup-service.js';
import { loadConfig } from '../config.js';
import { connectToSandbox } from '../sandbox/shared-sandbox.js';
import { sandboxOptionsOf } from '../sandbox/sandbox-options.js';
import { startSandbox } from '../sandbox/server.js';
import { formatPreflight, runPreflight } from './preflight.js';

/**
 * `npm run check:azure`: the read-only preflight with the bot's own configuration and identity
 * (DefaultAzureCredential against real Azure; the sandbox without a subscription), for each
 * configured subscription and its default vault. Exits 1 when a command would fail in any of
 * them, 2 when the configuration is wrong.
 */
const config = loadConfig();
const external = config.azure.mode === 'sandbox' ? config.sandbox.external : undefined;
const embedded =
  config.azure.mode === 'sandbox' && !external
    ? await startSandbox(sandboxOptionsOf(config.sandbox))
    : undefined;
const sandbox = external ? await connectToSandbox(external) : embedded;
try {
  const service = createBackupService({ azure: config.azure, sandbox });
  const several = config.azure.subscriptions.length > 1;
  let ok = true;
  for (const s of config.azure.subscriptions) {
    const where =
      config.azure.mode === 'azure'
        ? `subscription ${s.id}`
        : `the local sandbox${several ? `, subscription ${s.id}` : ''}`;
    process.stdout.write(`check:azure · ${where} · vault ${s.vaultResourceGroup}/${s.vaultName}\n\n`);
    const report = await runPreflight({
      service,
      readPermissions: (scope) => service.readPermissions(scope),
      subscriptionId: s.id,
      vault: { subscription: s.id, resourceGroup: s.vaultResourceGroup, vault: s.vaultName },
    });
    process.stdout.write(`${formatPreflight(report)}\n\n`);
    ok &&= report.ok;
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  await sandbox?.close();
}
