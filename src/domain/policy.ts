import { checkName } from './azure-names.js';
import { AppError, validationError } from './errors.js';
import { command, template } from './suggestions.js';

/**
 * A backup policy as the bot speaks of it (DESIGN.md rule 3). `Enhanced` is Azure's policyType V2
 * (hourly schedules, several backups a day, 1–30 days of instant restore, required for Extended
 * Zone VMs); `Standard` is V1.
 */
export const WEEKDAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type PolicyKind = 'Enhanced' | 'Standard';
export const HOURLY_INTERVALS = [4, 6, 8, 12] as const;

export type PolicySchedule =
  | { frequency: 'Hourly'; intervalHours: number; windowStartTime: string; windowDurationHours: number }
  | { frequency: 'Daily'; time: string }
  | { frequency: 'Weekly'; days: Weekday[]; time: string };

export interface PolicyRetention {
  dailyDays?: number;
  weeklyWeeks?: number;
  /** Days whose point is kept as the weekly one (default: the schedule's days, or Sunday). */
  weeklyDays?: Weekday[];
  monthlyMonths?: number;
  yearlyYears?: number;
}

export interface PolicySpec {
  name: string;
  kind: PolicyKind;
  schedule: PolicySchedule;
  instantRestoreDays?: number;
  retention?: PolicyRetention;
  timeZone?: string;
}

/** A validated spec: every default filled in. */
export interface PolicyDefinition extends PolicySpec {
  instantRestoreDays: number;
  retention: PolicyRetention;
  timeZone: string;
}

export const POLICY_LIMITS = {
  instantRestoreDays: { Standard: { min: 1, max: 5, default: 2 }, Enhanced: { min: 1, max: 30, default: 7 } },
  dailyDays: { min: 7, max: 9999, default: 30 },
  weeklyWeeks: { min: 1, max: 5163, default: 12 },
  monthlyMonths: { min: 1, max: 1188 },
  yearlyYears: { min: 1, max: 99 },
  windowDurationHours: { min: 4, max: 24 },
} as const;

const TIME = /^([01]\d|2[0-3]):(00|30)$/;

/** Checks a spec against Azure's limits, listing every problem with the allowed range. */
export function validatePolicySpec(spec: PolicySpec): PolicyDefinition {
  const problems: string[] = [];
  const nameProblem = checkName('policy', spec.name);
  if (nameProblem) problems.push(nameProblem);

  const s = spec.schedule;
  if (s.frequency === 'Hourly') {
    if (spec.kind !== 'Enhanced') {
      problems.push('Hourly schedules need an Enhanced policy; a Standard policy backs up daily or weekly.');
    }
    if (!(HOURLY_INTERVALS as readonly number[]).includes(s.intervalHours)) {
      problems.push(`An hourly schedule runs every 4, 6, 8 or 12 hours (got ${s.intervalHours}).`);
    }
    const w = POLICY_LIMITS.windowDurationHours;
    if (
      !Number.isInteger(s.windowDurationHours) ||
      s.windowDurationHours < w.min ||
      s.windowDurationHours > w.max
    ) {
      problems.push(`The backup window lasts ${w.min}–${w.max} hours (got ${s.windowDurationHours}).`);
    } else if (s.windowDurationHours < s.intervalHours) {
      problems.push(
        `The backup window (${s.windowDurationHours} h) must be at least as long as the interval (${s.intervalHours} h).`,
      );
    }
    if (!TIME.test(s.windowStartTime)) problems.push(timeProblem('window start', s.windowStartTime));
  } else {
    if (!TIME.test(s.time)) problems.push(timeProblem('backup time', s.time));
    if (s.frequency === 'Weekly') {
      if (s.days.length === 0) problems.push('A weekly schedule needs at least one day.');
      if (new Set(s.days).size !== s.days.length) problems.push('A weekly schedule names each day once.');
    }
  }

  const ir = POLICY_LIMITS.instantRestoreDays[spec.kind];
  const instantRestoreDays = spec.instantRestoreDays ?? ir.default;
  if (!inRange(instantRestoreDays, ir)) {
    problems.push(
      `A ${spec.kind} policy keeps instant-restore snapshots ${ir.min}–${ir.max} days (got ${instantRestoreDays}).`,
    );
  }

  const r = { ...spec.retention };
  if (s.frequency === 'Weekly') {
    if (r.dailyDays !== undefined)
      problems.push('A weekly schedule makes no daily points: drop the daily retention.');
    r.weeklyWeeks ??= POLICY_LIMITS.weeklyWeeks.default;
    r.weeklyDays ??= s.days;
  } else {
    r.dailyDays ??= POLICY_LIMITS.dailyDays.default;
    if (r.weeklyWeeks !== undefined) r.weeklyDays ??= ['Sunday'];
  }
  checkRange(problems, 'daily points', 'days', r.dailyDays, POLICY_LIMITS.dailyDays);
  checkRange(problems, 'weekly points', 'weeks', r.weeklyWeeks, POLICY_LIMITS.weeklyWeeks);
  checkRange(problems, 'monthly points', 'months', r.monthlyMonths, POLICY_LIMITS.monthlyMonths);
  checkRange(problems, 'yearly points', 'years', r.yearlyYears, POLICY_LIMITS.yearlyYears);

  if (problems.length > 0) {
    throw validationError('validation.policy', problems, [
      template('create policy daily-8am enhanced daily at 08:00 keep snapshots 7 days keep daily 30 days'),
    ]);
  }
  return { ...spec, instantRestoreDays, retention: r, timeZone: spec.timeZone ?? 'UTC' };
}

/** Rule 3: a VM cannot move from an Enhanced policy back to a Standard one. */
export function assertPolicyChange(current: PolicyKind | undefined, next: PolicyKind, vmName: string): void {
  if (current === 'Enhanced' && next === 'Standard') {
    throw new AppError(
      'validation.policy_downgrade',
      `${vmName} is protected by an Enhanced policy, and a VM cannot move from an Enhanced policy back to a Standard one.`,
      {
        suggestions: [
          template(`enable backup for ${vmName} with policy <an Enhanced policy>`),
          command('policies'),
        ],
      },
    );
  }
}

function inRange(n: number, r: { min: number; max: number }): boolean {
  return Number.isInteger(n) && n >= r.min && n <= r.max;
}

function checkRange(
  problems: string[],
  what: string,
  unit: string,
  value: number | undefined,
  r: { min: number; max: number },
): void {
  if (value !== undefined && !inRange(value, r)) {
    problems.push(`Retention of ${what} is ${r.min}–${r.max} ${unit} (got ${value}).`);
  }
}

function timeProblem(what: string, value: string): string {
  return `The ${what} "${value}" is not a time on the hour or half hour (HH:00 or HH:30, 24-hour clock).`;
}
