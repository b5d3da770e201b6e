import { writeFileSync } from 'node:fs';
import { EnvReader } from '../domain/env-reader.js';
import { SANDBOX_SUBSCRIPTION_ID, SANDBOX_VAULT_NAME, SANDBOX_VAULT_RESOURCE_GROUP } from './seed-ids.js';
import { sandboxOptionsOf } from './sandbox-options.js';
import { readSandboxSettings } from './sandbox-settings.js';
import { startSandbox } from './server.js';

/**
 * `npm run sandbox`: the local Azure alone, for trying the SDKs, curl or the bot against it. A
 * program of its own, so it reads its own settings (SANDBOX_*), not the bot's.
 */
const read = new EnvReader(process.env);
const settings = readSandboxSettings(read, false);
if (read.problems.length > 0) {
  process.stderr.write(`Configuration is not valid:\n${read.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
const sandbox = await startSandbox(sandboxOptionsOf(settings));
// A fixed path (SANDBOX_CA_FILE, or one in the temp folder), so NODE_EXTRA_CA_CERTS or a bot's
// SANDBOX_CA_FILE keeps working across restarts.
const certFile = settings.certificateFile;
writeFileSync(certFile, sandbox.certificatePem);
process.stdout.write(
  [
    `Azure sandbox listening on ${sandbox.url}`,
    `  certificate:  ${certFile}  (NODE_EXTRA_CA_CERTS=${certFile} to trust it)`,
    `  subscription: ${SANDBOX_SUBSCRIPTION_ID}`,
    `  vault:        ${SANDBOX_VAULT_RESOURCE_GROUP}/${SANDBOX_VAULT_NAME}`,
    `  clock:        ×${settings.clockSpeed} (snapshot ${settings.snapshotMinutes} min, transfer ${settings.transferMinutes} min)`,
    `  bots:         SANDBOX_URL=${sandbox.url} npm start  (several bots may share this sandbox)`,
    `  control:      ${sandbox.url}/_sandbox/health | clock | clock/advance?ms=N | faults | vms/{vm}/fail-next?phase=snapshot|transfer | vms/{vm}/scheduled-backup | fleet?prefix=p&vms=N&vaults=N`,
    '',
  ].join('\n'),
);
const stop = (): void => void sandbox.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
