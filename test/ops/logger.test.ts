import { describe, expect, it } from 'vitest';
import { createJsonLogger, routeConsoleTo } from '../../src/logger.js';

describe('JSON logs', () => {
  it('writes one JSON object a line with time, level label and message', () => {
    const lines: string[] = [];
    const log = createJsonLogger({ write: (l) => void lines.push(l) });
    log.info('started', { url: 'http://127.0.0.1:3978', vaults: 2 });
    log.warn('watch round failed', { failures: 1 });
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ level: 'info', msg: 'started', url: 'http://127.0.0.1:3978', vaults: 2 });
    expect(Date.parse(String(a?.time))).not.toBeNaN();
    expect(b).toMatchObject({ level: 'warn', msg: 'watch round failed', failures: 1 });
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('redacts fields named like secrets, at the top and one level down', () => {
    const lines: string[] = [];
    const log = createJsonLogger({ write: (l) => void lines.push(l) });
    log.error('oops', {
      token: 'xoxb-123',
      settings: { signingSecret: 'shh', appPassword: 'pw', port: 3978 },
      databaseUrl: 'postgres://u:pw@h/db',
    });
    const text = lines.join('');
    for (const secret of ['xoxb-123', 'shh', 'postgres://', '"pw"']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ token: '[redacted]', settings: { port: 3978 } });
  });

  it('turns what libraries print with console into JSON lines (botbuilder has no logger option)', () => {
    const lines: string[] = [];
    const printed: string[] = [];
    const fakeConsole = {
      log: (...a: unknown[]) => void printed.push(String(a)),
      info: (...a: unknown[]) => void printed.push(String(a)),
      warn: (...a: unknown[]) => void printed.push(String(a)),
      error: (...a: unknown[]) => void printed.push(String(a)),
      debug: (...a: unknown[]) => void printed.push(String(a)),
      trace: (...a: unknown[]) => void printed.push(String(a)),
    };
    routeConsoleTo(createJsonLogger({ write: (l) => void lines.push(l) }), fakeConsole);
    fakeConsole.error(new Error('jwt expired'));
    fakeConsole.warn('BadRequest: %s', 'Missing activity');
    fakeConsole.log('hello');
    fakeConsole.debug('noise');
    expect(printed).toEqual([]);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, string>);
    expect(entries.map((e) => [e.level, e.msg])).toEqual([
      ['error', 'library output'],
      ['warn', 'library output'],
      ['info', 'library output'],
    ]);
    expect(entries[0]!.text).toMatch(/^Error: jwt expired/);
    expect(entries[1]!.text).toBe('BadRequest: Missing activity');
  });
});
