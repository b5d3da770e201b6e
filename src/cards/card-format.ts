import type { JobError, JobStatus, TaskStatus } from '../domain/index.js';

/** Small, tested formatting shared by the presenters: icons, colours, times, durations. */
export const TASK_ICON: Record<TaskStatus, string> = {
  NotStarted: '⚪',
  InProgress: '⏳',
  Completed: '✅',
  Failed: '❌',
  Skipped: '⏭️',
};

export function jobStatusIcon(s: JobStatus): string {
  switch (s) {
    case 'InProgress':
    case 'Cancelling':
      return '⏳';
    case 'Completed':
      return '✅';
    case 'CompletedWithWarnings':
      return '⚠️';
    case 'Failed':
      return '❌';
    case 'Cancelled':
      return '🚫';
  }
}

/** Adaptive Card text colours. */
export function jobStatusColor(s: JobStatus): 'Good' | 'Warning' | 'Attention' | 'Accent' | 'Default' {
  if (s === 'Completed') return 'Good';
  if (s === 'CompletedWithWarnings') return 'Warning';
  if (s === 'Failed') return 'Attention';
  if (s === 'InProgress' || s === 'Cancelling') return 'Accent';
  return 'Default';
}

/** Words for a job's status, as the portal's table says them. */
export function jobStatusLabel(s: JobStatus): string {
  switch (s) {
    case 'InProgress':
      return 'In progress';
    case 'CompletedWithWarnings':
      return 'Completed with warning';
    default:
      return s;
  }
}

export function taskStatusLabel(s: TaskStatus): string {
  return s === 'NotStarted' ? 'Not started' : s === 'InProgress' ? 'In progress' : s;
}

/** "✅ Completed", "⚠️ Completed with warning": the portal's label with an icon. */
export function jobStatusText(s: JobStatus): string {
  return `${jobStatusIcon(s)} ${jobStatusLabel(s)}`;
}

/** A job's first errors as its cards list them: Azure's words (ours when it gave none) and its fixes. */
export function jobErrorLines(errors: readonly JobError[], max: number) {
  return errors.slice(0, max).map((e) => ({
    code: e.code,
    message: truncate(e.message ?? 'The job reported an error.', 500),
    recommendations: e.recommendations.length ? `Fix: ${truncate(e.recommendations.join(' '), 500)}` : '',
  }));
}

/** "8 min", "1 h 12 min", "2 d 3 h", "40 s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/**
 * Milliseconds between two ISO times, or undefined when either is missing or unreadable, so a
 * card says "—" rather than "NaN min".
 */
export function msBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** "2026-11-22 13:05 UTC": unambiguous for a team spread over time zones. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "Showing 25 of 200 (and 175 more)." — what a capped list says, so nobody thinks it is complete. */
export function shownOf(total: number, cap: number): string {
  return total > cap ? `Showing ${cap} of ${total} (and ${total - cap} more).` : '';
}
