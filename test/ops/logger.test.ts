import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/logger.js';

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
});
