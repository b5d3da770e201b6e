import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { SANDBOX_SUBSCRIPTION_ID, SANDBOX_VAULT_NAME, SANDBOX_VAULT_RESOURCE_GROUP } from './seed-ids.js';
import { startSandbox } from './server.js';

/** `npm run sandbox`: the local Azure alone, for trying the SDKs or the Azure CLI against it. */
const { sandbox: s } = loadConfig();
const sandbox = await startSandbox({
  port: s.port,
  clockSpeed: s.clockSpeed,
  snapshotMinutes: s.snapshotMinutes,
  transferMinutes: s.transferMinutes,
  faults: s.faults,
  seed: s.seed,
});
const certFile = join(tmpdir(), 'backup-chatops-sandbox.pem');
writeFileSync(certFile, sandbox.certificatePem);
process.stdout.write(
  [
    `Azure sandbox listening on ${sandbox.url}`,
    `  certificate:  ${certFile}  (NODE_EXTRA_CA_CERTS=${certFile} to trust it)`,
    `  subscription: ${SANDBOX_SUBSCRIPTION_ID}`,
    `  vault:        ${SANDBOX_VAULT_RESOURCE_GROUP}/${SANDBOX_VAULT_NAME}`,
    `  clock:        ×${s.clockSpeed}; control routes under ${sandbox.url}/_sandbox/`,
    '',
  ].join('\n'),
);
const stop = (): void => void sandbox.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
