import { describe, expect, it } from 'vitest';
import type { RecoveryPoint } from '../../src/domain/index.js';
import { choosePoint, fromPropertyBagTime, isAppError } from '../../src/domain/index.js';

const point = (id: string, time: string, tiers: [string, string][]): RecoveryPoint => ({
  id,
  time,
  consistency: 'AppConsistent',
  tiers: tiers.map(([type, status]) => ({ type, status })),
});
const BOTH: [string, string][] = [
  ['InstantRP', 'Valid'],
  ['HardenedRP', 'Valid'],
];
const POINTS = [
  point('3', '2026-11-22T08:00:00Z', BOTH),
  point('1', '2026-11-01T08:00:00Z', [['ArchivedRP', 'Valid']]),
  point('2', '2026-11-15T08:00:00Z', [
    ['InstantRP', 'Invalid'],
    ['HardenedRP', 'Valid'],
  ]),
];

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return e.code;
  }
  return 'chosen';
};

describe('choosing the recovery point to restore', () => {
  it('takes the newest, an id, or the newest at or before a time, whatever order Azure listed them in', () => {
    expect(choosePoint(POINTS, { latest: true }, 'myVM').id).toBe('3');
    expect(choosePoint(POINTS, { id: '2' }, 'myVM').id).toBe('2');
    expect(choosePoint(POINTS, { atOrBefore: '2026-11-21T23:59:59Z' }, 'myVM').id).toBe('2');
    expect(choosePoint(POINTS, { atOrBefore: '2026-11-22T08:00:00Z' }, 'myVM').id).toBe('3');
  });

  it('restores a vault-only point, refuses an archived one (rehydration first) and names the newest points when none fits', () => {
    expect(choosePoint(POINTS, { id: '2' }, 'myVM').tiers).toHaveLength(2);
    expect(codeOf(() => choosePoint(POINTS, { id: '1' }, 'myVM'))).toBe('validation.recovery_point_tier');
    expect(codeOf(() => choosePoint(POINTS, { id: '9' }, 'myVM'))).toBe('validation.recovery_point');
    expect(codeOf(() => choosePoint([], { latest: true }, 'myVM'))).toBe('validation.recovery_point');
    try {
      choosePoint(POINTS, { atOrBefore: '2026-10-01T00:00:00Z' }, 'myVM');
    } catch (e) {
      expect(isAppError(e) && e.suggestions).toMatchObject([
        {
          kind: 'choose',
          what: 'recovery point',
          names: [
            expect.stringMatching(/^3 \(2026-11-22 08:00 UTC\)$/),
            expect.stringMatching(/^2 /),
            expect.any(String),
          ],
        },
        { kind: 'command', text: 'restore myVM' },
      ]);
    }
  });
});

describe('property bag times', () => {
  it('reads the recorded format as UTC, and nothing else', () => {
    expect(fromPropertyBagTime('7/26/2026 1:16:55 PM')).toBe('2026-07-26T13:16:55.000Z');
    expect(fromPropertyBagTime('8/24/2026 12:00:00 AM')).toBe('2026-08-24T00:00:00.000Z');
    expect(fromPropertyBagTime(null)).toBeUndefined();
    expect(fromPropertyBagTime('vmName')).toBeUndefined();
  });
});
