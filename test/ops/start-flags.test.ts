import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/**
 * The node flags of a package script run on Node 24 (`node scripts/node24.mjs node <flags> … file`),
 * `--import` and its module aside.
 */
function nodeFlags(script: string): string[] {
  const launcher = 'node scripts/node24.mjs ';
  expect(script.startsWith(launcher)).toBe(true);
  const words = script.slice(launcher.length).split(/\s+/);
  expect(words[0]).toBe('node');
  const flags: string[] = [];
  for (let i = 1; i < words.length && words[i]!.startsWith('--'); i++) {
    if (words[i] === '--import') i++;
    else flags.push(words[i]!);
  }
  return flags;
}

describe('the production start script', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const flags = nodeFlags(pkg.scripts['start:built']!);

  it('sizes the V8 heap: a capped old generation and small semi-spaces', () => {
    expect(flags.some((f) => /^--max-old-space-size=\d+$/.test(f))).toBe(true);
    expect(flags.some((f) => /^--max-semi-space-size=\d+$/.test(f))).toBe(true);
  });

  it('runs with the flags docs/operations.md tells people to run it with', () => {
    const operations = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    expect(operations).toContain(`node ${flags.join(' ')} dist/main.js`);
  });
});
