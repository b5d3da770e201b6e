import { AppError } from './errors.js';
import { template } from './suggestions.js';

/** Backup now keeps its recovery point until a date: default 30 days, at most 99 years (rule 6). */
export const DEFAULT_RETAIN_DAYS = 30;
export const MAX_RETAIN_YEARS = 99;

const DAY_MS = 86_400_000;

/** A date, a number of days, or a number of calendar months (a year is 12). */
export type RetainRequest = { until: string } | { days: number } | { months: number } | undefined;

/** ISO date (YYYY-MM-DD) of `now` in UTC. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/**
 * Resolves the retain-until date (the last day the recovery point is kept) and checks it.
 * Returns the ISO day; the Azure request takes the end of that day in UTC.
 */
export function resolveRetainUntil(request: RetainRequest, now: Date): string {
  const today = isoDay(now);
  const latest = addYears(today, MAX_RETAIN_YEARS);
  let until: string;
  if (request === undefined) {
    until = addDays(today, DEFAULT_RETAIN_DAYS);
  } else if ('months' in request) {
    if (!Number.isInteger(request.months) || request.months < 1) {
      throw new AppError(
        'validation.retain_until',
        `Keep a backup for at least 1 month (got ${request.months}).`,
        { suggestions: [template('backup <vm> now for 3 months')] },
      );
    }
    until = addMonths(today, Math.min(request.months, (MAX_RETAIN_YEARS + 1) * 12));
  } else if ('days' in request) {
    if (!Number.isInteger(request.days) || request.days < 1) {
      throw new AppError(
        'validation.retain_until',
        `Keep a backup for at least 1 day (got ${request.days}).`,
        { suggestions: [template('backup <vm> now for 30 days')] },
      );
    }
    until = addDays(today, Math.min(request.days, 99 * 366 + 1));
  } else {
    until = request.until;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || isoDay(new Date(Date.parse(`${until}T00:00:00Z`))) !== until) {
      throw new AppError('validation.retain_until', `"${until}" is not a date. Write it as YYYY-MM-DD.`, {
        suggestions: [template(`backup <vm> now keep until ${addDays(today, DEFAULT_RETAIN_DAYS)}`)],
      });
    }
  }
  if (until <= today) {
    throw new AppError(
      'validation.retain_until',
      `The retain-until date ${until} is not in the future: a recovery point must be kept at least until tomorrow.`,
      {
        suggestions: [template(`backup <vm> now keep until ${addDays(today, DEFAULT_RETAIN_DAYS)}`)],
        details: { until, today },
      },
    );
  }
  if (until > latest) {
    throw new AppError(
      'validation.retain_until',
      `The retain-until date ${until} is more than ${MAX_RETAIN_YEARS} years away; the latest allowed is ${latest}.`,
      { suggestions: [template(`backup <vm> now keep until ${latest}`)], details: { until, latest } },
    );
  }
  return until;
}

/** The instant the recovery point expires: the end of the retain-until day, UTC. */
export function retainUntilInstant(day: string): Date {
  return new Date(`${day}T23:59:59.000Z`);
}

function addYears(day: string, years: number): string {
  return addMonths(day, years * 12);
}

/** Calendar months; the 31st of a shorter month becomes its last day. */
function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return isoDay(target);
}
