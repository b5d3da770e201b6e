import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatTime,
  jobErrorLines,
  jobStatusText,
  taskStatusLabel,
  msBetween,
  shownOf,
  truncate,
} from '../../src/cards/card-format.js';
import { phaseLine } from '../../src/cards/present-job.js';
import { retentionLines, scheduleWords } from '../../src/cards/present-policy.js';
import { ENHANCED_DAILY, ENHANCED_HOURLY, STANDARD_WEEKLY } from './fixtures.js';

describe('card formatting', () => {
  it('says durations the way an engineer would', () => {
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(8 * 60_000)).toBe('8 min');
    expect(formatDuration(8 * 60_000 + 29_000)).toBe('8 min');
    expect(formatDuration(72 * 60_000)).toBe('1 h 12 min');
    expect(formatDuration(3 * 3_600_000)).toBe('3 h');
    expect(formatDuration(51 * 3_600_000)).toBe('2 d 3 h');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('measures between ISO times, and refuses missing, unreadable or backwards ones', () => {
    expect(msBetween('2026-11-22T10:00:00Z', '2026-11-22T10:08:00Z')).toBe(8 * 60_000);
    expect(msBetween(undefined, '2026-11-22T10:08:00Z')).toBeUndefined();
    expect(msBetween('yesterday', '2026-11-22T10:08:00Z')).toBeUndefined();
    expect(msBetween('2026-11-22T10:08:00Z', '2026-11-22T10:00:00Z')).toBeUndefined();
  });

  it('writes times in UTC to the minute', () => {
    expect(formatTime('2026-11-22T13:05:59.900Z')).toBe('2026-11-22 13:05 UTC');
    expect(formatTime('2026-11-22T15:05:00+02:00')).toBe('2026-11-22 13:05 UTC');
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime('not a time')).toBe('—');
  });

  it('labels job statuses as the portal does, with an icon', () => {
    expect(jobStatusText('InProgress')).toBe('⏳ In progress');
    expect(jobStatusText('CompletedWithWarnings')).toBe('⚠️ Completed with warning');
    expect(jobStatusText('Cancelled')).toBe('🚫 Cancelled');
  });

  it('truncates long text with an ellipsis and counts what a capped list left out', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(shownOf(10, 25)).toBe('');
    expect(shownOf(26, 25)).toBe('Showing 25 of 26 (and 1 more).');
  });
});

describe('phase lines', () => {
  const asOf = '2026-11-22T10:30:00Z';
  it('gives each phase state its icon and time', () => {
    const line = (status: Parameters<typeof phaseLine>[0]['status'], extra = {}) =>
      phaseLine({ name: 'Transfer data to vault', status, ...extra }, asOf, 'Completed');
    expect(line('InProgress', { startTime: '2026-11-22T10:08:00Z' })).toMatchObject({
      icon: '⏳',
      detail: 'In progress · running for 22 min',
    });
    expect(line('Completed', { durationMs: 33 * 60_000 })).toMatchObject({
      icon: '✅',
      detail: 'Completed · took 33 min',
    });
    expect(
      line('Failed', { startTime: '2026-11-22T10:08:00Z', endTime: '2026-11-22T10:09:00Z' }),
    ).toMatchObject({
      icon: '❌',
      detail: 'Failed · failed after 1 min',
    });
    expect(line('Skipped')).toMatchObject({ icon: '⏭️', detail: 'Skipped' });
    expect(line('Skipped').note).toMatch(/earlier backup of this VM was still transferring/);
    expect(line('NotStarted')).toMatchObject({
      icon: '⚪',
      detail: 'Not started · starts when the snapshot completes',
    });
    expect(line('InProgress')).toMatchObject({ detail: 'In progress' });
  });

  it('does not promise a transfer after a failed snapshot', () => {
    expect(phaseLine({ name: 'Transfer data to vault', status: 'NotStarted' }, asOf, 'Failed').detail).toBe(
      'Not started',
    );
  });
});

describe('policies in words', () => {
  it('says each kind of schedule with its time zone', () => {
    expect(scheduleWords(ENHANCED_HOURLY)).toBe('every 4 h from 08:00 for 12 h (UTC)');
    expect(scheduleWords(ENHANCED_DAILY)).toBe('daily at 22:30 (Pacific Standard Time)');
    expect(scheduleWords(STANDARD_WEEKLY)).toBe('weekly on Mon, Thu at 01:00 (UTC)');
  });

  it('lists retention, instant restore first, with singulars right', () => {
    expect(retentionLines(ENHANCED_DAILY)).toEqual([
      'Instant restore snapshots: 1 day',
      'Daily points: 90 days',
      'Monthly points: 12 months',
      'Yearly points: 7 years',
    ]);
    expect(retentionLines(STANDARD_WEEKLY)).toEqual([
      'Instant restore snapshots: 2 days',
      'Weekly points (Mon, Thu): 12 weeks',
    ]);
  });

  it("lists a job's errors in Azure's words, and says so in ours when Azure gave none", () => {
    const lines = jobErrorLines(
      [
        { code: 'UserErrorVmNotFound', message: 'The VM is gone.', recommendations: ['Check the VM.'] },
        { code: 'Unknown', recommendations: [] },
        { code: 'Third', recommendations: [] },
      ],
      2,
    );
    expect(lines).toEqual([
      { code: 'UserErrorVmNotFound', message: 'The VM is gone.', recommendations: 'Fix: Check the VM.' },
      { code: 'Unknown', message: 'The job reported an error.', recommendations: '' },
    ]);
  });

  it("says statuses as the portal's table does", () => {
    expect(jobStatusText('CompletedWithWarnings')).toBe('⚠️ Completed with warning');
    expect(taskStatusLabel('NotStarted')).toBe('Not started');
    expect(taskStatusLabel('Skipped')).toBe('Skipped');
  });
});
