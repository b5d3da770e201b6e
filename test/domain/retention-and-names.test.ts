import { describe, expect, it } from 'vitest';
import {
  checkName,
  closestMatches,
  formatIsoDuration,
  parseBackupItemName,
  parseIsoDuration,
  resolveRetainUntil,
} from '../../src/domain/index.js';

const now = new Date('2026-11-22T10:00:00Z');

describe('retain-until of an on-demand backup', () => {
  it('defaults to 30 days from today', () => {
    expect(resolveRetainUntil(undefined, now)).toBe('2026-12-22');
  });

  it('takes a date or a number of days', () => {
    expect(resolveRetainUntil({ until: '2026-12-31' }, now)).toBe('2026-12-31');
    expect(resolveRetainUntil({ days: 14 }, now)).toBe('2026-12-06');
  });

  it('refuses today and the past', () => {
    expect(() => resolveRetainUntil({ until: '2026-11-22' }, now)).toThrow(/not in the future/);
    expect(() => resolveRetainUntil({ until: '2020-01-01' }, now)).toThrow(/not in the future/);
  });

  it('refuses more than 99 years and names the latest allowed day', () => {
    expect(resolveRetainUntil({ until: '2125-11-22' }, now)).toBe('2125-11-22');
    expect(() => resolveRetainUntil({ until: '2125-11-23' }, now)).toThrow(/latest allowed is 2125-11-22/);
    expect(() => resolveRetainUntil({ days: 40_000 }, now)).toThrow(/99 years/);
  });

  it('refuses things that are not dates', () => {
    expect(() => resolveRetainUntil({ until: '2026-02-30' }, now)).toThrow(/not a date/);
    expect(() => resolveRetainUntil({ until: 'tomorrow' }, now)).toThrow(/YYYY-MM-DD/);
    expect(() => resolveRetainUntil({ days: 0 }, now)).toThrow(/at least 1 day/);
  });
});

describe('Azure resource names', () => {
  it.each([
    ['vault', 'rsv-westus', true],
    ['vault', '1vault', false],
    ['vault', 'v', false],
    ['vault', 'my_vault', false],
    ['resourceGroup', 'rg.prod(1)', true],
    ['resourceGroup', 'rg.', false],
    ['resourceGroup', "rg'; DROP", false],
    ['vm', 'myVM', true],
    ['vm', 'vm-', false],
    ['vm', "x' or 1 eq 1", false],
    ['policy', 'EnhancedPolicy', true],
    ['policy', 'ab', false],
  ] as const)('%s name %j valid: %s', (kind, value, valid) => {
    expect(checkName(kind, value) === undefined).toBe(valid);
  });

  it('reads the resource group and VM from a protected item name', () => {
    expect(parseBackupItemName('VM;iaasvmcontainerv2;rg-1;myVM')).toEqual({
      resourceGroup: 'rg-1',
      vm: 'myVM',
    });
    expect(parseBackupItemName('nonsense')).toBeUndefined();
  });
});

describe('small helpers', () => {
  it('parses and formats ISO-8601 job durations', () => {
    expect(parseIsoDuration('PT9.8782791S')).toBe(9878);
    expect(parseIsoDuration('PT41M12S')).toBe(2_472_000);
    expect(parseIsoDuration('P1DT2H')).toBe(93_600_000);
    expect(parseIsoDuration('garbage')).toBeUndefined();
    expect(formatIsoDuration(2_472_000)).toBe('PT41M12S');
    expect(formatIsoDuration(0)).toBe('PT0S');
  });

  it('suggests close names, closest first', () => {
    expect(closestMatches('myvn', ['myVM', 'legacy-win-01', 'web-linux-01'])).toEqual(['myVM']);
    expect(closestMatches('zzzzzz', ['myVM'])).toEqual([]);
  });
});

describe('retain-until in calendar months', () => {
  it('adds calendar months and clamps to the end of a shorter month', () => {
    expect(resolveRetainUntil({ months: 12 }, now)).toBe('2027-11-22');
    expect(resolveRetainUntil({ months: 3 }, new Date('2026-11-30T10:00:00Z'))).toBe('2027-02-28');
    expect(() => resolveRetainUntil({ months: 0 }, now)).toThrow(/at least 1 month/);
  });
});
