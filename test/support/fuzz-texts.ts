import { COMMANDS } from '../../src/chat/command-list.js';

/**
 * Seeded fuzzing: command words, names, dates, hostile fragments and noise, glued at random. Shared
 * by test/chat/fuzz.test.ts and `npm run fuzz`, so both feed the registry the same kind of text.
 */
export function fuzzTexts(seed: number): () => string {
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
