import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/chat/command-list.js';
import { interpretText } from '../../src/chat/interpret-text.js';

// ajv-draft-04 is CommonJS whose typings declare a default export; require gives the class itself.
const AjvDraft04 = createRequire(import.meta.url)('ajv-draft-04') as typeof import('ajv-draft-04').default;

const root = join(import.meta.dirname, '../..');
const APP_ID = '00000000-aaaa-4bbb-8ccc-000000000001';
const manifestText = readFileSync(join(root, 'manifest/teams/manifest.json'), 'utf8');
const manifest = JSON.parse(manifestText.replaceAll('{{TEAMS_APP_ID}}', APP_ID)) as {
  bots: { botId: string; commandLists: { commands: { title: string }[] }[] }[];
};

function pngSize(file: string): { width: number; height: number; colorType: number } {
  const b = readFileSync(join(root, 'manifest/teams', file));
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colorType: b[25]! };
}

describe('Teams app package', () => {
  it('validates against the Teams manifest schema v1.30', () => {
    const schema = JSON.parse(
      readFileSync(join(root, 'test/fixtures/schemas/teams-manifest-v1.30.schema.json'), 'utf8'),
    ) as object;
    const ajv = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const ok = validate(manifest);
    expect(ok ? [] : validate.errors).toEqual([]);
    expect(validate({ ...manifest, manifestVersion: '1.29' })).toBe(false);
  });

  it('lists only commands the bot understands', () => {
    const titles = manifest.bots[0]!.commandLists.flatMap((l) => l.commands.map((c) => c.title));
    expect(titles.length).toBeGreaterThanOrEqual(8);
    // Each title is read as a command of its own, never as a question or "did you mean".
    const read = titles.map((t) => interpretText(t, COMMANDS, new Date()).command.id);
    expect(read).not.toContain('clarify');
    expect(new Set(read).size).toBe(titles.length);
  });

  it('ships a 192×192 colour icon and a 32×32 transparent outline icon', () => {
    expect(pngSize('color.png')).toMatchObject({ width: 192, height: 192 });
    expect(pngSize('outline.png')).toMatchObject({ width: 32, height: 32, colorType: 6 });
  });

  it('packages the manifest with the app id filled in', () => {
    execFileSync(process.execPath, ['scripts/package-teams.mjs'], {
      cwd: root,
      env: { PATH: process.env.PATH, TEAMS_APP_ID: APP_ID },
    });
    const zip = readFileSync(join(root, 'dist/teams-app.zip'));
    const text = zip.toString('latin1');
    for (const name of ['manifest.json', 'color.png', 'outline.png']) expect(text).toContain(name);
    expect(text).toContain(`"botId": "${APP_ID}"`);
    expect(text).not.toContain('{{TEAMS_APP_ID}}');
    expect(() =>
      execFileSync(process.execPath, ['scripts/package-teams.mjs'], {
        cwd: root,
        env: { PATH: process.env.PATH },
        stdio: 'pipe',
      }),
    ).toThrow();
  });
});
