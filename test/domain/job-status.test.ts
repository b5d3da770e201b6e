import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SNAPSHOT_TASK,
  TRANSFER_TASK,
  activePhase,
  deriveJobStatus,
  isTaskStatus,
} from '../../src/domain/index.js';
import type { TaskStatus } from '../../src/domain/index.js';

describe("the portal's phase → job status table", () => {
  it.each([
    ['Completed', 'InProgress', 'InProgress'],
    ['Completed', 'Skipped', 'Completed'],
    ['Completed', 'Completed', 'Completed'],
    ['Completed', 'Failed', 'CompletedWithWarnings'],
    ['Failed', 'Failed', 'Failed'],
  ] as const)('snapshot %s + transfer %s → %s', (snapshot, transfer, status) => {
    expect(deriveJobStatus(snapshot, transfer)).toBe(status);
  });

  it('keeps a job in progress until its snapshot ends', () => {
    expect(deriveJobStatus('InProgress', 'NotStarted')).toBe('InProgress');
    expect(deriveJobStatus('NotStarted', 'NotStarted')).toBe('InProgress');
    expect(deriveJobStatus('Completed', 'NotStarted')).toBe('InProgress');
  });

  it('fails the job when the snapshot fails, whatever the transfer says', () => {
    expect(deriveJobStatus('Failed', 'NotStarted')).toBe('Failed');
    expect(deriveJobStatus('Failed', 'Skipped')).toBe('Failed');
  });

  it('says which phase can change next', () => {
    expect(activePhase('InProgress', 'NotStarted')).toBe('snapshot');
    expect(activePhase('Completed', 'NotStarted')).toBe('transfer');
    expect(activePhase('Completed', 'InProgress')).toBe('transfer');
    expect(activePhase('Completed', 'Skipped')).toBe('none');
    expect(activePhase('Failed', 'Failed')).toBe('none');
  });
});

describe('derivation on the Azure example payloads', () => {
  const dir = join(import.meta.dirname, '../fixtures/azure-examples');
  const withTasks = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, json: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Example }))
    .flatMap(({ file, json }) =>
      Object.values(json.responses).flatMap((r) => {
        const props = r.body?.properties;
        const tasks = props?.extendedInfo?.tasksList;
        return tasks ? [{ file, status: props.status, tasks }] : [];
      }),
    );

  it('finds the job details example with its two phases', () => {
    expect(withTasks.map((x) => x.file)).toContain('JobDetails_Get_IaasVM_tasksList.json');
  });

  it.each(withTasks)('$file: derived status equals the status Azure reported', ({ status, tasks }) => {
    const snapshot = tasks.find((t) => t.taskId === SNAPSHOT_TASK)?.status;
    const transfer = tasks.find((t) => t.taskId === TRANSFER_TASK)?.status;
    expect(isTaskStatus(snapshot) && isTaskStatus(transfer)).toBe(true);
    expect(deriveJobStatus(snapshot as TaskStatus, transfer as TaskStatus)).toBe(status);
  });
});

interface Example {
  responses: Record<
    string,
    {
      body?: {
        properties?: { status?: string; extendedInfo?: { tasksList?: { taskId: string; status: string }[] } };
      };
    }
  >;
}
