import type { JobFilter, JobStatus } from '../../domain/index.js';
import { AppError } from '../../domain/index.js';

/**
 * The filter words of "status of jobs": a status ("failed", "in progress", "completed with
 * warnings"), a VM ("for myVM"), an operation ("backup jobs", "configure backup") and a window
 * ("last 24h", "last 7 days", "today"). Returns the filter and plain words describing it.
 */
const STATUS_WORDS: [RegExp, JobStatus][] = [
  [
    /\b(completed|finished|succeeded|done)\s+with\s+warnings?\b|\bwarnings?\b|\bwarned\b/i,
    'CompletedWithWarnings',
  ],
  [/\bin[\s-]?progress\b|\brunning\b|\bactive\b|\bongoing\b|\bgoing\s+on\b|\bhappening\b/i, 'InProgress'],
  [/\bfail(ed|ing|ures?|s)?\b|\berrors?\b|\bbroke(n)?\b/i, 'Failed'],
  [/\bcancel(l)?ed\b/i, 'Cancelled'],
  [/\b(completed|finished|succeeded|successful|done)\b/i, 'Completed'],
];
const WINDOW =
  /\b(?:(?:in\s+|over\s+|during\s+)?(?:the\s+)?(?:last|past)\s+(\d+)?\s*(h|hrs?|hours?|d|days?|w|weeks?|night)|(today|this\s+morning)|(yesterday))\b|\b(overnight)\b/i;
const VM =
  /\b(?:for|of|on)\s+(?:vm\s+)?(?!(?:the|my|all|backup|jobs?|runs?|today|yesterday|last|past|now)\b)([A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)?)/i;

export function parseJobFilter(text: string, now: Date): { filter: JobFilter; description: string } {
  let rest = ` ${text} `;
  const filter: JobFilter = {};
  const words: string[] = [];

  for (const [pattern, status] of STATUS_WORDS) {
    if (pattern.test(rest)) {
      filter.status = status;
      rest = rest.replace(pattern, ' ');
      break;
    }
  }
  if (/\bconfigure\b|\bconfiguration\b|\benable\b/i.test(rest)) filter.operation = 'ConfigureBackup';
  else if (/\brestore\b/i.test(rest)) filter.operation = 'Restore';
  else if (/\bdelete\b/i.test(rest)) filter.operation = 'DeleteBackupData';

  const w = WINDOW.exec(rest);
  if (w) {
    if (w[3]) {
      filter.since = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
      words.push('today');
    } else if (w[4]) {
      const midnight = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
      filter.since = new Date(midnight - 86_400_000);
      filter.until = new Date(midnight);
      words.push('yesterday');
    } else {
      const n = w[1] ? Number(w[1]) : 1;
      // "last night", "overnight": the last day, as the alerts count it.
      const unit = w[5] || w[2]!.toLowerCase() === 'night' ? 'day' : w[2]!.toLowerCase();
      const hours = unit.startsWith('h') ? n : unit.startsWith('d') ? n * 24 : n * 24 * 7;
      if (hours < 1 || hours > 24 * 180) {
        throw new AppError(
          'validation.job_window',
          `Azure keeps job history for up to 180 days; ask for 1 hour to 180 days (got ${n} ${unit}).`,
          {
            hint: 'status of jobs last 24h',
          },
        );
      }
      filter.since = new Date(now.getTime() - hours * 3_600_000);
      words.push(
        `in the last ${hours % 24 === 0 ? `${hours / 24} day${hours === 24 ? '' : 's'}` : `${hours} h`}`,
      );
    }
    rest = rest.replace(WINDOW, ' ');
  }
  const vm = VM.exec(rest);
  if (vm) filter.vmName = vm[1];

  const status = filter.status
    ? {
        InProgress: 'in-progress',
        Completed: 'completed',
        CompletedWithWarnings: 'completed-with-warning',
        Failed: 'failed',
        Cancelled: 'cancelled',
        Cancelling: 'cancelling',
      }[filter.status]
    : '';
  const op =
    filter.operation === 'ConfigureBackup'
      ? 'configure-backup '
      : filter.operation === 'Restore'
        ? 'restore '
        : filter.operation === 'DeleteBackupData'
          ? 'delete-data '
          : '';
  const description = [
    `${status ? `${status} ` : 'All '}${op}jobs`,
    filter.vmName ? `of ${filter.vmName}` : '',
    ...words,
  ]
    .filter(Boolean)
    .join(' ');
  return { filter, description: description.charAt(0).toUpperCase() + description.slice(1) };
}
