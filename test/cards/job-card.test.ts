import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import type { AdaptiveCard, CardElement } from '../../src/cards/adaptive-card-renderer.js';
import { elementsOfType, executeActions, visibleText } from './card-actions.js';
import { schemaErrors } from './card-schema.js';
import { AS_OF, JOB_ID, PORTAL_TABLE, STARTED_JOB, job, jobView, manyJobs } from './fixtures.js';

/** The two phase rows of a job card: [icon, name, detail, note?] as the reader sees them. */
function phaseRows(card: AdaptiveCard): string[][] {
  return elementsOfType(card, 'ColumnSet').map((set) =>
    (set.columns as CardElement[]).flatMap((c) =>
      (c.items as CardElement[]).map((item) => String(item.text)),
    ),
  );
}

function facts(card: AdaptiveCard): Record<string, string> {
  const all = elementsOfType(card, 'FactSet').flatMap((f) => f.facts as { title: string; value: string }[]);
  return Object.fromEntries(all.map((f) => [f.title, f.value]));
}

describe('job card', () => {
  it.each(PORTAL_TABLE.map(([s, t, status, label]) => [s, t, status, label] as const))(
    'snapshot %s + transfer %s: shows the portal status %s (%s) and an icon per phase',
    (snapshot, transfer, _status, label) => {
      const card = renderAdaptiveCard(jobView(job(snapshot, transfer)));
      expect(schemaErrors(card)).toEqual([]);
      const icon = { InProgress: '⏳', Completed: '✅', Failed: '❌', Skipped: '⏭️', NotStarted: '⚪' };
      const [snap, xfer] = phaseRows(card);
      expect(snap!.slice(0, 2)).toEqual([icon[snapshot], 'Take Snapshot']);
      expect(xfer!.slice(0, 2)).toEqual([icon[transfer], 'Transfer data to vault']);
      const status = elementsOfType(card, 'TextBlock')[1]!;
      expect(String(status.text).endsWith(` ${label}`)).toBe(true);
    },
  );

  it('colours the status as the portal does: green, amber, red, blue', () => {
    const colour = (s: Parameters<typeof job>[0], t: Parameters<typeof job>[1]) =>
      elementsOfType(renderAdaptiveCard(jobView(job(s, t))), 'TextBlock')[1]!.color;
    expect(colour('Completed', 'Completed')).toBe('Good');
    expect(colour('Completed', 'Failed')).toBe('Warning');
    expect(colour('Failed', 'Failed')).toBe('Attention');
    expect(colour('Completed', 'InProgress')).toBe('Accent');
  });

  it('explains a skipped transfer in one line, and only then', () => {
    const skipped = visibleText(renderAdaptiveCard(jobView(job('Completed', 'Skipped'))));
    expect(skipped).toContain(
      'an earlier backup of this VM was still transferring; the next recovery point will include these changes',
    );
    const completed = visibleText(renderAdaptiveCard(jobView(job('Completed', 'Completed'))));
    expect(completed).not.toContain('still transferring');
  });

  it('shows how long an in-progress phase has run, counted from asOf', () => {
    const snapshotting = renderAdaptiveCard(
      jobView(job('InProgress', 'NotStarted'), { asOf: '2026-11-22T10:05:00.000Z' }),
    );
    const [snap, xfer] = phaseRows(snapshotting);
    expect(snap![2]).toBe('In progress · running for 5 min');
    expect(xfer![2]).toBe('Not started · starts when the snapshot completes');

    // 8 min snapshot, then 2 h 12 min of transfer by 10:20 + 2 h.
    const transferring = renderAdaptiveCard(
      jobView(job('Completed', 'InProgress'), { asOf: '2026-11-22T12:20:00.000Z' }),
    );
    const [snap2, xfer2] = phaseRows(transferring);
    expect(snap2![2]).toBe('Completed · took 8 min');
    expect(xfer2![2]).toBe('In progress · running for 2 h 12 min');
    expect(facts(transferring)['Running for']).toBe('2 h 20 min');
  });

  it('computes a finished phase’s duration from its times when Azure gives no duration', () => {
    const j = job('Completed', 'Completed');
    const noDurations = {
      ...j,
      phases: {
        snapshot: { ...j.phases!.snapshot, durationMs: undefined },
        transfer: { ...j.phases!.transfer, durationMs: undefined },
      },
    };
    const [snap, xfer] = phaseRows(renderAdaptiveCard(jobView(noDurations)));
    expect(snap![2]).toBe('Completed · took 8 min');
    expect(xfer![2]).toBe('Completed · took 33 min');
  });

  it('shows the end time and total duration once the job has ended, not before', () => {
    for (const [s, t] of [
      ['Completed', 'Completed'],
      ['Completed', 'Failed'],
      ['Failed', 'Failed'],
    ] as const) {
      const f = facts(renderAdaptiveCard(jobView(job(s, t))));
      expect(f.Ended).toMatch(/^2026-11-22 10:(41|08) UTC$/);
      expect(f.Duration).toMatch(/^(41|8) min$/);
    }
    expect(facts(renderAdaptiveCard(jobView(job('Completed', 'Completed')))).Duration).toBe('41 min');
    const running = facts(renderAdaptiveCard(STARTED_JOB));
    expect(running.Ended).toBeUndefined();
    expect(running.Duration).toBeUndefined();
  });

  it('shows the retain-until date and the consistency to expect for a backup started from chat', () => {
    const f = facts(renderAdaptiveCard(STARTED_JOB));
    expect(f['Kept until']).toBe('2026-12-22');
    expect(f.Consistency).toMatch(/application-consistent/);
    expect(f.VM).toBe('myVM');
    expect(f.Operation).toBe('Backup (on demand)');
    expect(f['Job id']).toBe(JOB_ID);
  });

  it('lists errors with code, message and the recommended fix', () => {
    const text = visibleText(renderAdaptiveCard(jobView(job('Failed', 'Failed'))));
    expect(text).toContain('UserErrorGuestAgentStatusUnavailable');
    expect(text).toContain('VM Agent unable to communicate with the Azure Backup Service.');
    expect(text).toContain('Fix: Ensure the VM agent is the latest version and running');
  });

  it('offers Refresh only while the job runs, naming the job’s vault, and the portal link whenever it is known', () => {
    const running = renderAdaptiveCard(STARTED_JOB);
    const refresh = {
      verb: 'job.refresh',
      title: 'Refresh',
      data: {
        jobId: JOB_ID,
        vault: STARTED_JOB.job.vaultName,
        resourceGroup: STARTED_JOB.resourceGroup,
        subscription: STARTED_JOB.job.vaultSubscription ?? '',
      },
    };
    expect(executeActions(running)).toEqual([refresh]);
    expect(running.refresh).toMatchObject({ action: { verb: 'job.refresh', data: refresh.data } });
    expect(elementsOfType(running, 'Action.OpenUrl')).toEqual([
      { type: 'Action.OpenUrl', title: 'View in Azure portal', url: STARTED_JOB.portalUrl },
    ]);
    const done = renderAdaptiveCard({ ...STARTED_JOB, job: job('Completed', 'Completed') });
    expect(executeActions(done)).toEqual([]);
    expect(elementsOfType(done, 'Action.OpenUrl')).toHaveLength(1);
    expect(
      elementsOfType(renderAdaptiveCard(jobView(job('Completed', 'Completed'))), 'Action.OpenUrl'),
    ).toEqual([]);
  });

  it('says the phases are not loaded for a backup job read from a list, and nothing for other operations', () => {
    const fromList = renderAdaptiveCard(jobView({ ...job('Completed', 'InProgress'), phases: undefined }));
    expect(phaseRows(fromList)).toEqual([]);
    expect(visibleText(fromList)).toContain('Phase details are not loaded yet');
    const configure = renderAdaptiveCard(
      jobView({ ...job('Completed', 'Completed'), operation: 'ConfigureBackup', phases: undefined }),
    );
    expect(visibleText(configure)).not.toContain('Phase details');
    expect(schemaErrors(configure)).toEqual([]);
  });
});

describe('job list card', () => {
  const list = (n: number) =>
    renderAdaptiveCard({
      kind: 'job-list',
      vaultName: 'rsv-westus',
      description: 'Backup jobs of the last 24 hours',
      jobs: manyJobs(n),
      asOf: AS_OF,
    });

  it('is the portal’s table: a header and one row per job with VM, operation, status, start, duration', () => {
    const card = list(5);
    const [table] = elementsOfType(card, 'Table');
    const rows = (table!.rows as CardElement[]).map((r) =>
      (r.cells as CardElement[]).map((c) => String((c.items as CardElement[])[0]!.text)),
    );
    expect(rows[0]).toEqual(['VM', 'Operation', 'Status', 'Started', 'Duration']);
    expect(rows.slice(1)).toEqual([
      ['app-vm-0', 'Backup', '⏳ In progress', '2026-11-22 10:00 UTC', '20 min so far'],
      ['app-vm-1', 'Backup', '✅ Completed', '2026-11-22 10:00 UTC', '8 min'],
      ['app-vm-2', 'Backup', '✅ Completed', '2026-11-22 10:00 UTC', '41 min'],
      ['app-vm-3', 'Backup', '⚠️ Completed with warning', '2026-11-22 10:00 UTC', '41 min'],
      ['app-vm-4', 'Backup', '❌ Failed', '2026-11-22 10:00 UTC', '8 min'],
    ]);
    const text = visibleText(card);
    expect(text).toContain('Backup jobs of the last 24 hours');
    expect(text).toContain('Showing 5 jobs, newest first.');
  });

  it('has a refresh button for the first three jobs only, each carrying its job id and vault', () => {
    const actions = executeActions(list(5));
    expect(actions.map((a) => a.verb)).toEqual(['job.refresh', 'job.refresh', 'job.refresh']);
    expect(actions.map((a) => a.data)).toEqual(
      manyJobs(3).map((j) => ({ jobId: j.id, vault: j.vaultName, resourceGroup: '', subscription: '' })),
    );
  });

  it("names each job's resource group and subscription on its button (an across-all-vaults list)", () => {
    const [east, west] = manyJobs(2);
    const jobs = [
      {
        ...east!,
        vaultName: 'rsv-eastus',
        vaultResourceGroup: 'rg-backup-east',
        vaultSubscription: 'sub-east',
      },
      { ...west!, vaultName: 'rsv-westus', vaultResourceGroup: 'rg-chatops', vaultSubscription: 'sub-west' },
    ];
    const card = renderAdaptiveCard({
      kind: 'job-list',
      vaultName: 'all vaults',
      description: 'All jobs',
      jobs,
      asOf: AS_OF,
    });
    expect(executeActions(card).map((a) => a.data)).toEqual([
      { jobId: east!.id, vault: 'rsv-eastus', resourceGroup: 'rg-backup-east', subscription: 'sub-east' },
      { jobId: west!.id, vault: 'rsv-westus', resourceGroup: 'rg-chatops', subscription: 'sub-west' },
    ]);
  });

  it('caps a long list and says how many more there are', () => {
    const card = list(100);
    const [table] = elementsOfType(card, 'Table');
    expect(table!.rows).toHaveLength(1 + 15);
    expect(visibleText(card)).toContain('Showing 15 of 100 (and 85 more).');
  });

  it('says so when no job matches, without an empty table', () => {
    const card = list(0);
    expect(visibleText(card)).toContain('No jobs match.');
    expect(elementsOfType(card, 'Table')).toEqual([]);
    expect(executeActions(card)).toEqual([]);
  });
});

describe('Universal Actions refresh', () => {
  it('asks Teams to refresh the card for each viewer only while the job runs', () => {
    const running = renderAdaptiveCard(jobView(job('InProgress', 'NotStarted')));
    expect(running.refresh?.action).toMatchObject({ type: 'Action.Execute', verb: 'job.refresh' });
    expect(schemaErrors(running)).toEqual([]);
    const done = renderAdaptiveCard(jobView(job('Completed', 'Completed')));
    expect(done).not.toHaveProperty('refresh');
  });
});
