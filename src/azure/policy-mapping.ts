import type {
  AzureIaaSVMProtectionPolicy,
  DayOfWeek,
  LongTermRetentionPolicy,
  ProtectionPolicyResource,
  SchedulePolicyUnion,
  SimpleSchedulePolicy,
  SimpleSchedulePolicyV2,
} from '@azure/arm-recoveryservicesbackup';
import type { Policy, PolicyDefinition, PolicyRetention, PolicySchedule, Weekday } from '../domain/index.js';
import { WEEKDAYS } from '../domain/index.js';

/**
 * Domain policy ⇄ Azure's AzureIaaSVMProtectionPolicy. Enhanced = policyType V2 with
 * SimpleSchedulePolicyV2; Standard = V1 with SimpleSchedulePolicy. Times of day travel as full
 * dates of which Azure reads only the time (in the policy's time zone).
 */
const ANCHOR_DAY = '2021-12-17';

export function toAzurePolicy(def: PolicyDefinition, restorePointRgPrefix: string): ProtectionPolicyResource {
  const time = scheduleTime(def.schedule);
  const properties: AzureIaaSVMProtectionPolicy = {
    backupManagementType: 'AzureIaasVM',
    policyType: def.kind === 'Enhanced' ? 'V2' : 'V1',
    timeZone: def.timeZone,
    instantRpRetentionRangeInDays: def.instantRestoreDays,
    schedulePolicy: toSchedule(def),
    retentionPolicy: toRetention(def.retention, time),
    ...(def.kind === 'Enhanced'
      ? { instantRPDetails: { azureBackupRGNamePrefix: restorePointRgPrefix } }
      : {}),
  };
  return { properties };
}

function toSchedule(def: PolicyDefinition): SchedulePolicyUnion {
  const s = def.schedule;
  if (def.kind === 'Enhanced') {
    switch (s.frequency) {
      case 'Hourly':
        return {
          schedulePolicyType: 'SimpleSchedulePolicyV2',
          scheduleRunFrequency: 'Hourly',
          hourlySchedule: {
            interval: s.intervalHours,
            scheduleWindowStartTime: at(s.windowStartTime),
            scheduleWindowDuration: s.windowDurationHours,
          },
        };
      case 'Daily':
        return {
          schedulePolicyType: 'SimpleSchedulePolicyV2',
          scheduleRunFrequency: 'Daily',
          dailySchedule: { scheduleRunTimes: [at(s.time)] },
        };
      case 'Weekly':
        return {
          schedulePolicyType: 'SimpleSchedulePolicyV2',
          scheduleRunFrequency: 'Weekly',
          weeklySchedule: { scheduleRunDays: s.days as DayOfWeek[], scheduleRunTimes: [at(s.time)] },
        };
    }
  }
  // validatePolicySpec has refused hourly Standard policies.
  const time = scheduleTime(s);
  return {
    schedulePolicyType: 'SimpleSchedulePolicy',
    scheduleRunFrequency: s.frequency === 'Weekly' ? 'Weekly' : 'Daily',
    scheduleRunTimes: [at(time)],
    ...(s.frequency === 'Weekly' ? { scheduleRunDays: s.days as DayOfWeek[] } : {}),
  };
}

function toRetention(r: PolicyRetention, time: string): LongTermRetentionPolicy {
  const times = [at(time)];
  const firstDay = (r.weeklyDays?.[0] ?? 'Sunday') as DayOfWeek;
  return {
    retentionPolicyType: 'LongTermRetentionPolicy',
    ...(r.dailyDays !== undefined
      ? {
          dailySchedule: {
            retentionTimes: times,
            retentionDuration: { count: r.dailyDays, durationType: 'Days' },
          },
        }
      : {}),
    ...(r.weeklyWeeks !== undefined
      ? {
          weeklySchedule: {
            daysOfTheWeek: (r.weeklyDays ?? ['Sunday']) as DayOfWeek[],
            retentionTimes: times,
            retentionDuration: { count: r.weeklyWeeks, durationType: 'Weeks' },
          },
        }
      : {}),
    ...(r.monthlyMonths !== undefined
      ? {
          monthlySchedule: {
            retentionScheduleFormatType: 'Weekly',
            retentionScheduleWeekly: { daysOfTheWeek: [firstDay], weeksOfTheMonth: ['First'] },
            retentionTimes: times,
            retentionDuration: { count: r.monthlyMonths, durationType: 'Months' },
          },
        }
      : {}),
    ...(r.yearlyYears !== undefined
      ? {
          yearlySchedule: {
            retentionScheduleFormatType: 'Weekly',
            monthsOfYear: ['January'],
            retentionScheduleWeekly: { daysOfTheWeek: [firstDay], weeksOfTheMonth: ['First'] },
            retentionTimes: times,
            retentionDuration: { count: r.yearlyYears, durationType: 'Years' },
          },
        }
      : {}),
  };
}

/** Reads an Azure policy; undefined when it is not an Azure VM policy the bot understands. */
export function fromAzurePolicy(resource: ProtectionPolicyResource): Policy | undefined {
  // The SDK's unions keep a base member, so discriminators do not narrow: cast after checking.
  const p =
    resource.properties?.backupManagementType === 'AzureIaasVM'
      ? (resource.properties as AzureIaaSVMProtectionPolicy)
      : undefined;
  if (!p || !resource.name) return undefined;
  const kind = p.policyType === 'V2' ? 'Enhanced' : 'Standard';
  const schedule = fromSchedule(p.schedulePolicy);
  if (!schedule) return undefined;
  const rp =
    p.retentionPolicy?.retentionPolicyType === 'LongTermRetentionPolicy'
      ? (p.retentionPolicy as LongTermRetentionPolicy)
      : undefined;
  const retention: PolicyRetention = {
    dailyDays: rp?.dailySchedule?.retentionDuration?.count,
    weeklyWeeks: rp?.weeklySchedule?.retentionDuration?.count,
    weeklyDays: rp?.weeklySchedule?.daysOfTheWeek?.filter(isWeekday),
    monthlyMonths: rp?.monthlySchedule?.retentionDuration?.count,
    yearlyYears: rp?.yearlySchedule?.retentionDuration?.count,
  };
  return {
    id: resource.id ?? resource.name,
    name: resource.name,
    kind,
    schedule,
    instantRestoreDays: p.instantRpRetentionRangeInDays ?? (kind === 'Enhanced' ? 7 : 2),
    retention: dropUndefined(retention),
    timeZone: p.timeZone ?? 'UTC',
    protectedItemsCount: p.protectedItemsCount ?? 0,
    restorePointResourceGroupPrefix: p.instantRPDetails?.azureBackupRGNamePrefix,
  };
}

function fromSchedule(schedule: SchedulePolicyUnion | undefined): PolicySchedule | undefined {
  if (schedule?.schedulePolicyType === 'SimpleSchedulePolicyV2') {
    const s = schedule as SimpleSchedulePolicyV2;
    if (s.scheduleRunFrequency === 'Hourly' && s.hourlySchedule) {
      return {
        frequency: 'Hourly',
        intervalHours: s.hourlySchedule.interval ?? 4,
        windowStartTime: hhmm(s.hourlySchedule.scheduleWindowStartTime),
        windowDurationHours: s.hourlySchedule.scheduleWindowDuration ?? 24,
      };
    }
    if (s.scheduleRunFrequency === 'Weekly' && s.weeklySchedule) {
      return {
        frequency: 'Weekly',
        days: (s.weeklySchedule.scheduleRunDays ?? []).filter(isWeekday),
        time: hhmm(s.weeklySchedule.scheduleRunTimes?.[0]),
      };
    }
    return { frequency: 'Daily', time: hhmm(s.dailySchedule?.scheduleRunTimes?.[0]) };
  }
  if (schedule?.schedulePolicyType === 'SimpleSchedulePolicy') {
    const s = schedule as SimpleSchedulePolicy;
    const time = hhmm(s.scheduleRunTimes?.[0]);
    return s.scheduleRunFrequency === 'Weekly'
      ? { frequency: 'Weekly', days: (s.scheduleRunDays ?? []).filter(isWeekday), time }
      : { frequency: 'Daily', time };
  }
  return undefined;
}

function scheduleTime(s: PolicySchedule): string {
  return s.frequency === 'Hourly' ? s.windowStartTime : s.time;
}

function at(time: string): Date {
  return new Date(`${ANCHOR_DAY}T${time}:00Z`);
}

function hhmm(d: Date | string | undefined): string {
  if (d === undefined) return '00:00';
  const date = typeof d === 'string' ? new Date(d) : d;
  return Number.isNaN(date.getTime()) ? '00:00' : date.toISOString().slice(11, 16);
}

function isWeekday(d: string): d is Weekday {
  return (WEEKDAYS as readonly string[]).includes(d);
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
