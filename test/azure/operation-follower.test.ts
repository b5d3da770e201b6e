import { describe, expect, it } from 'vitest';
import { followOperation, nextWaitMs } from '../../src/azure/operation-follower.js';
import { inBackground } from '../../src/azure/request-budget-scheduler.js';
import { ResponseCapture } from '../../src/azure/response-capture.js';
import { exchange, recorded } from '../recorded-azure/recorded-fixtures.js';

/**
 * How the follower paces its status reads against Azure's `Retry-After: 60` (Azure PowerShell's
 * records): a person's command reads after 1 s, then every 5 s, as the official clients do (their
 * records show reads 1 s after the 202, then every 5–10 s); background work waits the 60 s asked.
 */
type Raw = Parameters<ResponseCapture['onResponse']>[0];

/** A capture holding the recorded 202 of an item PUT (PowerShell 2025): Retry-After 60. */
function recorded202(): ResponseCapture {
  const put = exchange(recorded('powershell.redo-protection-second-vault'), 'PUT', /protectedItems/);
  const headers = put.response.headers;
  const capture = new ResponseCapture();
  capture.onResponse({ status: put.response.status, headers: { get: (n: string) => headers[n] } } as Raw);
  return capture;
}

/** Follows an operation that is InProgress `reads - 1` times, recording the waits. */
async function waitsFor(reads: number): Promise<number[]> {
  const waits: number[] = [];
  let left = reads;
  await followOperation(
    recorded202(),
    // Status reads carry no Retry-After in the records: the 202's stands.
    async () => ({ status: --left > 0 ? 'InProgress' : 'Succeeded' }),
    { maxIntervalMs: 5000, timeoutMs: 3_600_000, sleep: async (ms) => void waits.push(ms) },
    'test',
  );
  return waits;
}

describe('pacing status reads by Retry-After', () => {
  it('a command a person waits on reads after 1 s, then every 5 s, not every 60 s', async () => {
    expect(await waitsFor(4)).toEqual([1000, 5000, 5000, 5000]);
  });

  it('background work waits the 60 s Azure asks before every read', async () => {
    expect(await inBackground(() => waitsFor(3))).toEqual([60_000, 60_000, 60_000]);
  });

  it('never waits longer than Retry-After for a person, nor less than the interval in the background', () => {
    expect(nextWaitMs('interactive', 2000, 3, { maxIntervalMs: 5000 })).toBe(2000);
    expect(nextWaitMs('interactive', undefined, 0, { maxIntervalMs: 5000 })).toBe(1000);
    expect(nextWaitMs('background', 2000, 3, { maxIntervalMs: 5000 })).toBe(5000);
    expect(nextWaitMs('background', undefined, 0, { maxIntervalMs: 5000 })).toBe(5000);
  });
});
