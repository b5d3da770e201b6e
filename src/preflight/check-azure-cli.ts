import { createBackupService } from '../azure/create-backup-service.js';
import { loadConfig } from '../config.js';
import { connectToSandbox } from '../sandbox/shared-sandbox.js';
import { sandboxOptionsOf } from '../sandbox/sandbox-options.js';
import { startSandbox } from '../sandbox/server.js';
import { formatPreflight, runPreflight } from './preflight.js';

/**
 * `npm run check:azure`: the read-only preflight with the bot's own configuration and identity
 * (DefaultAzureCredential against real Azure; the sandbox without a subscription). Exits 1 when a
 * command would fail, 2 when the configuration is wrong.
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
  process.stdout.write(
    `check:azure · ${config.azure.mode === 'azure' ? `subscription ${config.azure.subscriptionId}` : 'the local sandbox'} · vault ${config.azure.vaultResourceGroup}/${config.azure.vaultName}\n\n`,
  );
  const report = await runPreflight({
    service,
    readPermissions: (scope) => service.readPermissions(scope),
    subscriptionId: config.azure.subscriptionId,
    restore: config.azure.restore,
  });
  process.stdout.write(`${formatPreflight(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await sandbox?.close();
}
