import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const root = resolve(import.meta.dirname, '../..');
const loader = join(root, 'scripts/load-env-file.mjs');
const run = promisify(execFile);

/** The names loadConfig reads from its env object, over several envs that reach every branch. */
function settingsRead(): Set<string> {
  const names = new Set<string>();
  const envs: Record<string, string>[] = [
    {},
    { TEAMS_LOCAL_ONLY: 'true', SLACK_BOT_TOKEN: 'xoxb-1', ALERT_CHANNEL: 'teams:19:abc' },
    { AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000', TEAMS_APP_ID: 'a' },
  ];
  for (const base of envs) {
    const env = new Proxy(base, {
      get(target, key) {
        if (typeof key === 'string') names.add(key);
        return target[key as string];
      },
    });
    try {
      loadConfig(env);
    } catch {
      // Invalid combinations still read their settings; only the names matter here.
    }
  }
  return names;
}

function exampleSettings(): Set<string> {
  const text = readFileSync(join(root, '.env.example'), 'utf8');
  return new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

describe('.env.example', () => {
  it('lists every setting config.ts reads, each after a comment', () => {
    const read = settingsRead();
    expect(read.size).toBeGreaterThan(40);
    const listed = exampleSettings();
    expect([...read].filter((name) => !listed.has(name))).toEqual([]);
    // Every quoted setting name in config.ts, so a branch none of the envs above reaches is covered too.
    const source = readFileSync(join(root, 'src/config.ts'), 'utf8');
    const quoted = [...source.matchAll(/read\.\w+\(\s*'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!);
    expect(quoted.filter((name) => !listed.has(name))).toEqual([]);
    const lines = readFileSync(join(root, '.env.example'), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^[A-Z][A-Z0-9_]*=/.test(line)) {
        const above = lines.slice(0, i).reverse();
        const firstNonSetting = above.find((l) => !/^[A-Z][A-Z0-9_]*=/.test(l));
        expect(firstNonSetting, `${line} has a comment above it`).toMatch(/^#/);
      }
    });
  });

  it('parses as a configuration as it stands (empty values mean the defaults)', () => {
    const env: Record<string, string> = {};
    for (const name of exampleSettings()) env[name] = '';
    expect(loadConfig(env).azure.mode).toBe('sandbox');
  });
});

describe('npm start reads .env', () => {
  const dir = mkdtempSync(join(tmpdir(), 'env-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const probe = ['--import', loader, '-e', 'console.log(JSON.stringify([process.env.A, process.env.B]))'];

  it('loads the file, and variables already set win over it', async () => {
    writeFileSync(join(dir, '.env'), 'A=from-file\nB=from-file\n');
    const { stdout } = await run(process.execPath, probe, {
      cwd: dir,
      env: { PATH: process.env.PATH, B: 'from-env' },
    });
    expect(JSON.parse(stdout)).toEqual(['from-file', 'from-env']);
  });

  it('starts without a .env file', async () => {
    const empty = mkdtempSync(join(dir, 'none-'));
    const { stdout } = await run(process.execPath, probe, { cwd: empty, env: { PATH: process.env.PATH } });
    expect(JSON.parse(stdout)).toEqual([null, null]);
  });

  it('is what the start scripts preload', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const script of ['start', 'start:built', 'check:azure', 'audit:export'])
      expect(pkg.scripts[script]).toContain('--import ./scripts/load-env-file.mjs');
  });
});
