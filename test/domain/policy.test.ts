import { describe, expect, it } from 'vitest';
import { AppError, assertPolicyChange, validatePolicySpec } from '../../src/domain/index.js';
import type { PolicySpec } from '../../src/domain/index.js';

const hourly: PolicySpec = {
  name: 'ez-hourly',
  kind: 'Enhanced',
  schedule: { frequency: 'Hourly', intervalHours: 4, windowStartTime: '08:00', windowDurationHours: 12 },
};

function problemsOf(spec: PolicySpec): string[] {
  try {
    validatePolicySpec(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('validation.policy');
    return (e as AppError).details.problems as string[];
  }
  return [];
}

describe('backup policy rules', () => {
  it('fills the defaults of an Enhanced policy: 7 days of snapshots, 30 daily points, UTC', () => {
    const def = validatePolicySpec(hourly);
    expect(def.instantRestoreDays).toBe(7);
    expect(def.retention.dailyDays).toBe(30);
    expect(def.timeZone).toBe('UTC');
  });

  it('fills the defaults of a Standard policy: 2 days of snapshots', () => {
    const def = validatePolicySpec({
      name: 'std',
      kind: 'Standard',
      schedule: { frequency: 'Daily', time: '22:30' },
    });
    expect(def.instantRestoreDays).toBe(2);
  });

  it('refuses an hourly schedule on a Standard policy', () => {
    expect(problemsOf({ ...hourly, kind: 'Standard' }).join()).toMatch(
      /Hourly schedules need an Enhanced policy/,
    );
  });

  it.each([3, 5, 24])('refuses an hourly interval of %i hours', (intervalHours) => {
    expect(
      problemsOf({
        ...hourly,
        schedule: { ...hourly.schedule, intervalHours } as PolicySpec['schedule'],
      }).join(),
    ).toMatch(/every 4, 6, 8 or 12 hours/);
  });

  it.each([
    ['Standard', 0],
    ['Standard', 6],
    ['Enhanced', 0],
    ['Enhanced', 31],
  ] as const)('refuses %s instant restore of %i days with the allowed range', (kind, days) => {
    const schedule = { frequency: 'Daily', time: '08:00' } as const;
    const range = kind === 'Standard' ? '1–5' : '1–30';
    expect(problemsOf({ name: 'p-x', kind, schedule, instantRestoreDays: days }).join()).toContain(range);
  });

  it.each([
    ['dailyDays', 6, '7–9999'],
    ['dailyDays', 10000, '7–9999'],
    ['weeklyWeeks', 0, '1–5163'],
    ['weeklyWeeks', 5164, '1–5163'],
    ['monthlyMonths', 1189, '1–1188'],
    ['yearlyYears', 100, '1–99'],
  ] as const)('refuses %s = %i and names the range %s', (field, value, range) => {
    expect(problemsOf({ ...hourly, retention: { [field]: value } }).join()).toContain(range);
  });

  it('accepts the bounds themselves', () => {
    const def = validatePolicySpec({
      ...hourly,
      instantRestoreDays: 30,
      retention: { dailyDays: 9999, weeklyWeeks: 5163, monthlyMonths: 1188, yearlyYears: 99 },
    });
    expect(def.retention).toMatchObject({
      dailyDays: 9999,
      weeklyWeeks: 5163,
      monthlyMonths: 1188,
      yearlyYears: 99,
    });
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      ...hourly,
      name: 'x',
      instantRestoreDays: 99,
      retention: { dailyDays: 1 },
    });
    expect(problems).toHaveLength(3);
  });

  it('refuses times off the half hour and empty weekly schedules', () => {
    expect(
      problemsOf({
        name: 'w-1',
        kind: 'Enhanced',
        schedule: { frequency: 'Weekly', days: [], time: '08:15' },
      }),
    ).toHaveLength(2);
  });

  it('keeps weekly points on the days of a weekly schedule and refuses daily retention there', () => {
    const def = validatePolicySpec({
      name: 'weekly',
      kind: 'Standard',
      schedule: { frequency: 'Weekly', days: ['Saturday'], time: '23:00' },
    });
    expect(def.retention).toEqual({ weeklyWeeks: 12, weeklyDays: ['Saturday'] });
    expect(problemsOf({ ...def, retention: { dailyDays: 30 } }).join()).toMatch(/no daily points/);
  });

  it('refuses a window shorter than the interval', () => {
    expect(
      problemsOf({
        ...hourly,
        schedule: {
          frequency: 'Hourly',
          intervalHours: 12,
          windowStartTime: '08:00',
          windowDurationHours: 8,
        },
      }).join(),
    ).toMatch(/at least as long as the interval/);
  });

  it('refuses moving a VM from an Enhanced policy back to a Standard one', () => {
    expect(() => assertPolicyChange('Enhanced', 'Standard', 'myVM')).toThrow(
      /cannot move from an Enhanced policy/,
    );
    expect(() => assertPolicyChange('Standard', 'Enhanced', 'myVM')).not.toThrow();
    expect(() => assertPolicyChange(undefined, 'Standard', 'myVM')).not.toThrow();
  });
});
