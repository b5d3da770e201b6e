import type { PolicyKind, PolicyRetention, PolicySchedule, PolicySpec, Weekday } from '../domain/index.js';
import { WEEKDAYS } from '../domain/index.js';
import { badRequest } from './arm-errors.js';

type Json = Record<string, unknown>;

/**
 * Reads an AzureIaaSVMProtectionPolicy as Azure receives it (JSON, times as ISO strings) into the
 * domain's PolicySpec, so the sandbox enforces the same limits as the bot (validatePolicySpec).
 */
export function policySpecFromJson(name: string, properties: Json): PolicySpec {
  if (properties.backupManagementType !== 'AzureIaasVM') {
    throw badRequest(
      'BMSUserErrorInvalidPolicyInput',
      'Only Azure VM policies (backupManagementType AzureIaasVM) are supported.',
    );
  }
  const kind: PolicyKind = properties.policyType === 'V2' ? 'Enhanced' : 'Standard';
  const schedule = readSchedule(obj(properties.schedulePolicy), kind);
  const retention = readRetention(obj(properties.retentionPolicy));
  const instant = properties.instantRpRetentionRangeInDays;
  return {
    name,
    kind,
    schedule,
    retention,
    ...(typeof instant === 'number' ? { instantRestoreDays: instant } : {}),
    ...(typeof properties.timeZone === 'string' ? { timeZone: properties.timeZone } : {}),
  };
}

function readSchedule(s: Json, kind: PolicyKind): PolicySchedule {
  const type = s.schedulePolicyType;
  if (type === 'SimpleSchedulePolicyV2' && kind !== 'Enhanced') {
    throw badRequest(
      'BMSUserErrorInvalidPolicyInput',
      'SimpleSchedulePolicyV2 schedules need policyType V2 (Enhanced).',
    );
  }
  if (type === 'SimpleSchedulePolicy' && kind === 'Enhanced') {
    throw badRequest(
      'BMSUserErrorInvalidPolicyInput',
      'Enhanced policies (policyType V2) need a SimpleSchedulePolicyV2 schedule.',
    );
  }
  const frequency = s.scheduleRunFrequency;
  // Both schedule types carry an hourly schedule the same way; a standard one is then refused by
  // the domain with the right words (hourly needs Enhanced).
  const hourly = (h: Record<string, unknown>): PolicySchedule => ({
    frequency: 'Hourly',
    intervalHours: num(h.interval),
    windowStartTime: timeOf(h.scheduleWindowStartTime),
    windowDurationHours: num(h.scheduleWindowDuration),
  });
  if (type === 'SimpleSchedulePolicyV2') {
    if (frequency === 'Hourly') return hourly(obj(s.hourlySchedule));
    if (frequency === 'Weekly') {
      const w = obj(s.weeklySchedule);
      return { frequency: 'Weekly', days: days(w.scheduleRunDays), time: timeOf(first(w.scheduleRunTimes)) };
    }
    if (frequency === 'Daily')
      return { frequency: 'Daily', time: timeOf(first(obj(s.dailySchedule).scheduleRunTimes)) };
  }
  if (type === 'SimpleSchedulePolicy') {
    if (frequency === 'Hourly') return hourly(obj(s.hourlySchedule));
    const time = timeOf(first(s.scheduleRunTimes));
    if (frequency === 'Weekly') return { frequency: 'Weekly', days: days(s.scheduleRunDays), time };
    if (frequency === 'Daily') return { frequency: 'Daily', time };
  }
  throw badRequest(
    'BMSUserErrorInvalidPolicyInput',
    `The schedule policy (${String(type)}, ${String(frequency)}) is not valid.`,
  );
}

function readRetention(r: Json): PolicyRetention {
  if (r.retentionPolicyType !== 'LongTermRetentionPolicy') {
    throw badRequest('BMSUserErrorInvalidPolicyInput', 'VM policies need a LongTermRetentionPolicy.');
  }
  const count = (k: string): number | undefined => {
    const c = obj(obj(r[k]).retentionDuration).count;
    return typeof c === 'number' ? c : undefined;
  };
  const out: PolicyRetention = {
    dailyDays: count('dailySchedule'),
    weeklyWeeks: count('weeklySchedule'),
    monthlyMonths: count('monthlySchedule'),
    yearlyYears: count('yearlySchedule'),
  };
  const weeklyDays = obj(r.weeklySchedule).daysOfTheWeek;
  if (Array.isArray(weeklyDays)) out.weeklyDays = days(weeklyDays);
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as PolicyRetention;
}

function obj(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number.NaN;
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : undefined;
}

function timeOf(v: unknown): string {
  const d = typeof v === 'string' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime()))
    throw badRequest('BMSUserErrorInvalidPolicyInput', `"${String(v)}" is not a schedule time.`);
  return d.toISOString().slice(11, 16);
}

function days(v: unknown): Weekday[] {
  return Array.isArray(v)
    ? v.filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(String(d)))
    : [];
}
