import type { RetainRequest } from '../../domain/index.js';
import { AppError } from '../../domain/index.js';

/**
 * "keep until 2026-12-31", "until 2026/12/31", "for 2 weeks", "keep 30 days", "retain for a year".
 * Returns what is left of the text once the retention phrase is taken out.
 */
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  ten: 10,
};
const UNTIL =
  /\b(?:(?:keep|retain|retained|kept|store|hold)\s+(?:it\s+)?)?(?:until|till|til|through|to)\s+(\S+)/i;
const FOR =
  /\b(?:(?:keep|retain|retained|kept|store|hold)\s+(?:it\s+)?(?:for\s+)?|for\s+)(\d+|a|an|one|two|three|four|five|six|seven|ten)\s*(days?|d|weeks?|w|wks?|months?|mo|mos|years?|y|yrs?)\b/i;
const DANGLING = /\b(?:keep|retain|until|till|for)\b/i;

export interface RetentionParse {
  retain?: RetainRequest;
  rest: string;
}

export function parseRetention(text: string): RetentionParse {
  const until = UNTIL.exec(text);
  if (until) {
    const raw = until[1]!.replace(/[.,;]$/, '');
    const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(raw);
    if (!iso) {
      throw new AppError(
        'validation.retain_until',
        `"${raw.slice(0, 40)}" is not a date I can read. Write it as YYYY-MM-DD.`,
        {
          hint: 'backup myVM now keep until 2026-12-31',
        },
      );
    }
    const date = `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
    return { retain: { until: date }, rest: cut(text, until) };
  }
  const forMatch = FOR.exec(text);
  if (forMatch) {
    const n = /^\d+$/.test(forMatch[1]!) ? Number(forMatch[1]) : NUMBER_WORDS[forMatch[1]!.toLowerCase()]!;
    const unit = forMatch[2]!.toLowerCase();
    const retain: RetainRequest = unit.startsWith('d')
      ? { days: n }
      : unit.startsWith('w')
        ? { days: n * 7 }
        : unit.startsWith('m')
          ? { months: n }
          : { months: n * 12 };
    return { retain, rest: cut(text, forMatch) };
  }
  if (DANGLING.test(text)) {
    throw new AppError('validation.retain_until', 'I could not read how long to keep the backup.', {
      hint: 'Say "keep until 2026-12-31" or "for 30 days" (days, weeks, months or years).',
    });
  }
  return { rest: text };
}

function cut(text: string, m: RegExpExecArray): string {
  return `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim();
}
