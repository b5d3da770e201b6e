import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('loading the Azure SDK', () => {
  it('loads Compute and Resources only when a client of theirs is first asked for', async () => {
    // A process of its own: what another test file loaded must not count.
    const probe = `
      import { createAzureClients } from './src/azure/azure-clients.ts';
      import { isAzurePackageLoaded } from './src/azure/azure-sdk.ts';
      const loaded = () => ['@azure/arm-recoveryservicesbackup', '@azure/arm-compute', '@azure/arm-resources']
        .map((p) => isAzurePackageLoaded(p));
      const seen = [loaded()];
      const clients = createAzureClients({
        subscriptionId: '00000000-0000-0000-0000-000000000000',
        credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3600000 }) },
        endpoint: 'https://127.0.0.1:1',
        retry: { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 1 },
      });
      seen.push(loaded());
      const backup = clients.backup;
      seen.push(loaded(), [clients.backup === backup]);
      void clients.compute;
      seen.push(loaded());
      void clients.resources;
      seen.push(loaded());
      console.log(JSON.stringify(seen));
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      cwd: root,
      env: { PATH: process.env.PATH },
    });
    expect(JSON.parse(stdout)).toEqual([
      [false, false, false], // importing the wiring loads no SDK
      [false, false, false], // nor does building the clients
      [true, false, false], // the watcher's client: Backup only
      [true], // built once
      [true, true, false],
      [true, true, true],
    ]);
  });

  it('takes every Azure package through azure-sdk.ts, so one copy (CommonJS) of the Azure core loads', () => {
    // An ESM import of a dual package (Compute, identity, core-rest-pipeline) would load its ESM
    // build, and with it an ESM copy of the core beside the CommonJS one the Backup client loads.
    const valueImports = sourceFiles(join(root, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(@azure\/[^']+)'/gms)].map(
        (m) => `${relative(root, file)}: ${m[1]}`,
      ),
    );
    expect(valueImports).toEqual([]);
  });
});
