import type { PolicyKind, PolicyRetention, PolicySchedule, PolicySpec, Weekday } from '../../domain/index.js';
import { AppError, WEEKDAYS } from '../../domain/index.js';
import { TIME_OF_DAY, parseTimeOfDay } from './time-of-day.js';

/**
 * The words after "create policy NAME": kind, schedule, snapshot and long-term retention, e.g.
 * "enhanced hourly every 4h from 08:00 for 12h keep snapshots 7 days keep daily 30 days".
 * Only shape is read here; limits are the domain's (validatePolicySpec).
 */
export const POLICY_EXAMPLE =
  'create policy ez-hourly enhanced hourly every 4h from 08:00 for 12h keep snapshots 7 days keep daily 30 days';

const DAY_NAMES: Record<string, Weekday> = Object.fromEntries(
  WEEKDAYS.flatMap((d) => [
    [d.toLowerCase(), d],
    [d.slice(0, 3).toLowerCase(), d],
    [`${d.toLowerCase()}s`, d],
  ]),
) as Record<string, Weekday>;
DAY_NAMES.tues = 'Tuesday';
DAY_NAMES.thur = 'Thursday';
DAY_NAMES.thurs = 'Thursday';

const RETENTION =
  /\b(?:keep|retain|retention)\s+(daily|weekly|monthly|yearly)\s+(?:points?\s+|backups?\s+|rps?\s+)?(?:for\s+)?(\d+)\s*(d|days?|w|weeks?|m|mo|months?|y|yrs?|years?)?\b/gi;
const SNAPSHOTS =
  /\b(?:keep\s+|retain\s+)?(?:instant[\s-]+restore(?:\s+snapshots?)?|snapshots?|instant\s+rps?)\s+(?:for\s+)?(\d+)\s*(?:d|days?)?\b/i;
const EVERY = /\b(?:hourly\s+)?every\s+(\d+)\s*(?:h|hrs?|hours?)\b/i;
const FROM = new RegExp(String.raw`\b(?:from|starting(?:\s+at)?|start)\s+(${TIME_OF_DAY})`, 'i');
const WINDOW = /\bfor\s+(\d+)\s*(?:h|hrs?|hours?)\b/i;
const AT = new RegExp(String.raw`\bat\s+(${TIME_OF_DAY})`, 'i');
const DAYS =
  /\b(?:on\s+)?((?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?|weekends?|weekdays)(?:\s*(?:,|and|&|\s)\s*(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?|weekends?|weekdays))*)\b/i;
const TIMEZONE =
  /\b(?:time\s*zone|tz)\s+([A-Za-z][\w /+-]*?)(?=\s+(?:keep|retain|every|at|from|on|daily|weekly|hourly)\b|$)/i;
const UNIT_OF = { daily: 'd', weekly: 'w', monthly: 'm', yearly: 'y' } as const;
/** "keep 30 days", "retain them for 12 weeks": retention without its tier, read by the schedule. */
const TIERLESS =
  /\b(?:keep|retain|retention(?:\s+of)?|store)\s+(?:(?:them|points?|backups?|recovery\s+points|rps?)\s+)?(?:for\s+)?(\d+)\s*(d|days?|w|wks?|weeks?|m|mo|months?|y|yrs?|years?)\b/i;

/**
 * Retention said without its tier belongs to the tier the schedule makes: a daily (or hourly)
 * policy keeps daily points, a weekly one weekly points. Weeks of a daily policy are counted in
 * days; anything else asks for the tier by name.
 */
function tierlessRetention(
  m: RegExpExecArray,
  schedule: PolicySchedule,
  said: PolicyRetention,
): PolicyRetention {
  const n = Number(m[1]);
  const unit = m[2]!.charAt(0).toLowerCase();
  const weekly = schedule.frequency === 'Weekly';
  const tier = weekly ? 'weekly' : 'daily';
  const fail = (why: string) =>
    new AppError('validation.policy', `${why} Name the tier: "keep ${tier} …", "keep monthly 12 months".`, {
      hint: weekly
        ? 'create policy wk weekly on sun at 23:00 keep 12 weeks'
        : 'create policy nightly daily at 22:00 keep 30 days',
    });
  if ((weekly ? said.weeklyWeeks : said.dailyDays) !== undefined) {
    throw fail(`"${m[0].trim()}" and "keep ${tier} …" both say how long ${tier} points are kept.`);
  }
  if (!weekly && (unit === 'd' || unit === 'w')) return { dailyDays: unit === 'w' ? n * 7 : n };
  if (weekly && unit === 'w') return { weeklyWeeks: n };
  throw fail(
    `A ${weekly ? 'weekly' : 'daily'} policy keeps ${tier} points, counted in ${weekly ? 'weeks' : 'days'}: I cannot tell which points "${m[0].trim()}" is for.`,
  );
}

export function parsePolicyPhrase(name: string, phrase: string): PolicySpec {
  let rest = ` ${phrase} `;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
    return m;
  };

  const kind: PolicyKind = /\b(standard|v1)\b/i.test(rest) ? 'Standard' : 'Enhanced';
  rest = rest.replace(/\b(enhanced|standard|v1|v2)\b/gi, ' ');
  const timeZone = take(TIMEZONE)?.[1]?.trim();

  const retention: PolicyRetention = {};
  for (const m of [...rest.matchAll(RETENTION)]) {
    const which = m[1]!.toLowerCase() as keyof typeof UNIT_OF;
    const unit = (m[3] ?? UNIT_OF[which]).charAt(0).toLowerCase();
    if (unit !== UNIT_OF[which]) {
      throw new AppError(
        'validation.policy',
        `Say ${which} retention in ${{ d: 'days', w: 'weeks', m: 'months', y: 'years' }[UNIT_OF[which]]} ("keep ${which} ${m[2]} ${{ d: 'days', w: 'weeks', m: 'months', y: 'years' }[UNIT_OF[which]]}").`,
        {
          hint: POLICY_EXAMPLE,
        },
      );
    }
    const n = Number(m[2]);
    if (which === 'daily') retention.dailyDays = n;
    if (which === 'weekly') retention.weeklyWeeks = n;
    if (which === 'monthly') retention.monthlyMonths = n;
    if (which === 'yearly') retention.yearlyYears = n;
  }
  rest = rest.replace(RETENTION, ' ');
  const snapshots = take(SNAPSHOTS);
  const instantRestoreDays = snapshots ? Number(snapshots[1]) : undefined;

  const tierless = take(TIERLESS);
  const schedule = readSchedule(take);
  if (tierless) Object.assign(retention, tierlessRetention(tierless, schedule, retention));
  const leftover = rest
    .replace(/\b(and|with|a|an|the|schedule|backups?|policy|,)\b/gi, ' ')
    .replace(/[,;]/g, ' ')
    .trim();
  if (leftover) {
    throw new AppError(
      'validation.policy',
      `I did not understand "${leftover.slice(0, 60)}" in the policy.`,
      { hint: POLICY_EXAMPLE },
    );
  }
  return {
    name,
    kind,
    schedule,
    ...(instantRestoreDays !== undefined ? { instantRestoreDays } : {}),
    ...(Object.keys(retention).length > 0 ? { retention } : {}),
    ...(timeZone ? { timeZone } : {}),
  };
}

function readSchedule(take: (re: RegExp) => RegExpExecArray | null): PolicySchedule {
  const hourlyWord = take(/\bhourly\b/i);
  const every = take(EVERY);
  if (hourlyWord || every) {
    const from = take(FROM) ?? take(AT);
    const windowStartTime = from ? time(from[1]!) : '08:00';
    const window = take(WINDOW);
    return {
      frequency: 'Hourly',
      intervalHours: every ? Number(every[1]) : 4,
      windowStartTime,
      windowDurationHours: window ? Number(window[1]) : 12,
    };
  }
  const weekly = take(/\bweekly\b|\bevery\s+week\b/i);
  const days = take(DAYS);
  take(/\b(daily|every\s+day|each\s+day)\b/i);
  const at = take(AT);
  const t = at ? time(at[1]!) : '22:00';
  if (weekly || days) {
    return { frequency: 'Weekly', days: days ? readDays(days[1]!) : ['Sunday'], time: t };
  }
  return { frequency: 'Daily', time: t };
}

function readDays(text: string): Weekday[] {
  const out = new Set<Weekday>();
  for (const word of text
    .toLowerCase()
    .split(/[\s,&]+|and/)
    .filter(Boolean)) {
    if (word.startsWith('weekend')) ['Saturday', 'Sunday'].forEach((d) => out.add(d as Weekday));
    else if (word === 'weekdays')
      ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].forEach((d) => out.add(d as Weekday));
    else if (DAY_NAMES[word]) out.add(DAY_NAMES[word]);
  }
  return WEEKDAYS.filter((d) => out.has(d));
}

function time(text: string): string {
  const t = parseTimeOfDay(text);
  if (!t)
    throw new AppError('validation.policy', `"${text}" is not a time of day.`, {
      hint: 'Write times as 08:00, 22:30 or 8am.',
    });
  return t;
}
