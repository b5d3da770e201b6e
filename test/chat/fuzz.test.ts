import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/chat/command-list.js';
import { CommandRegistry } from '../../src/chat/command-registry.js';
import { interpretText } from '../../src/chat/interpret-text.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import { isAppError } from '../../src/domain/index.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';

/** Seeded fuzzing: command words, names, dates, hostile fragments and noise, glued at random. */
function generator(seed: number): () => string {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const words = [
    ...COMMANDS.flatMap((c) => [...c.keywords, ...c.examples]),
    'myVM',
    'ez-linux-01',
    'now',
    'keep',
    'until',
    'for',
    'days',
    'weeks',
    'with',
    'policy',
    'and',
    'delete',
    'data',
    '2026-12-31',
    '2026-02-30',
    '99999 days',
    'every 5h',
    'at 25:00',
    'approve',
    'x',
    "' or 1 eq 1",
    '$filter=status eq',
    '<script>',
    '<at>bot</at>',
    '<@U123>',
    '@bot',
    '🙂',
    '\u0000',
    '\u202e',
    '“quoted”',
    "status eq 'Failed'",
    '../../etc',
    '%00',
    '\\',
    '{}',
    '${x}',
    '{{y}}',
    '\n',
    '\t',
  ];
  return () => {
    const n = 1 + Math.floor(rand() * 8);
    const parts = Array.from({ length: n }, () =>
      rand() < 0.1
        ? String.fromCharCode(
            ...Array.from({ length: 1 + Math.floor(rand() * 12) }, () => Math.floor(rand() * 0xffff)),
          )
        : pick(words),
    );
    const text = parts.join(rand() < 0.8 ? ' ' : '');
    return rand() < 0.01 ? text.repeat(200) : text;
  };
}

describe('fuzzed commands', () => {
  it('parses 100,000 fuzzed texts without a crash: each is a command or a clear AppError', () => {
    const next = generator(20261122);
    const now = new Date('2026-11-22T10:00:00Z');
    let understood = 0;
    for (let i = 0; i < 100_000; i++) {
      const text = next();
      try {
        interpretText(text, COMMANDS, now);
        understood++;
      } catch (e) {
        if (!isAppError(e)) throw new Error(`crash on ${JSON.stringify(text).slice(0, 200)}: ${String(e)}`);
        expect(e.message.length).toBeLessThan(1000);
      }
    }
    expect(understood).toBeGreaterThan(1000); // the generator does reach the commands
  });

  describe('through the whole registry on the sandbox', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(() => h.close());

    it('answers 2,000 fuzzed requests from an operator, each with a view, never an internal error', async () => {
      const registry = new CommandRegistry({
        service: h.service,
        roles: new RoleDirectory([{ userId: 'web:fuzz', roles: ['operator'] }], []),
        defaults: {
          subscriptionId: 's',
          vaultName: 'rsv-westus',
          vaultResourceGroup: 'rg-chatops',
          portalLinks: false,
        },
        now: () => h.sandbox.clock.now(),
      });
      const next = generator(7);
      const codes = new Map<string, number>();
      for (let i = 0; i < 2_000; i++) {
        const { view } = await registry.handle({
          platform: 'web',
          user: { id: 'web:fuzz', name: 'Fuzz' },
          conversationId: 'f',
          text: next(),
        });
        const code = view.kind === 'error' ? view.code : view.kind;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      expect(codes.get('internal.error') ?? 0).toBe(0);
      expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(2_000);
    }, 120_000);
  });
});
