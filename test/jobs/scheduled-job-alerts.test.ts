import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobAlertView } from '../../src/cards/views.js';
import type { ChatDefaults } from '../../src/chat/command.js';
import { toJobAlertView } from '../../src/chat/job-view.js';
import type { AlertRoundStats, AlertTarget } from '../../src/jobs/scheduled-job-alerts.js';
import { ScheduledJobAlerter } from '../../src/jobs/scheduled-job-alerts.js';
import { rememberingStartedBackups } from '../../src/jobs/started-backups.js';
import { silentLogger } from '../../src/logger.js';
import { SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { StartedJobStore } from '../../src/store/started-job-store.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { Database } from '../../src/store/schema.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';

const defaults: ChatDefaults = {
  subscriptionId: SANDBOX_SUBSCRIPTION_ID,
  vaultName: 'rsv-westus',
  vaultResourceGroup: 'rg-chatops',
  portalLinks: false,
};
const DEFAULT_VAULT = { vault: 'rsv-westus', resourceGroup: 'rg-chatops' };

/** A target that records the cards it is sent (made as main.ts makes them); `failures` posts fail first. */
function recorder(id = 'test', failures = 0): AlertTarget & { views: JobAlertView[] } {
  const views: JobAlertView[] = [];
  let left = failures;
  return {
    id,
    views,
    post: async (alert) => {
      if (left-- > 0) throw new Error('the channel is down');
      views.push(toJobAlertView(alert, defaults));
    },
  };
}

describe('ScheduledJobAlerter on the sandbox', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  // Each test starts a minute later, so no job of an earlier test ends at a new watch's first instant.
  beforeEach(() => h.advanceMinutes(1));

  function alerter(db: Kysely<Database>, targets: AlertTarget[], vaults = [DEFAULT_VAULT]) {
    return new ScheduledJobAlerter({
      service: h.service,
      store: new AlertStore(db),
      startedJobs: new StartedJobStore(db),
      vaults,
      targets,
      intervalMs: 10,
      now: () => h.sandbox.clock.now(),
    });
  }

  /** Two rounds: the jobs filter takes one status, so Failed and CompletedWithWarnings take turns. */
  async function bothStatuses(a: ScheduledJobAlerter): Promise<AlertRoundStats[]> {
    return [await a.pollOnce(), await a.pollOnce()];
  }
  const alertsOf = (rounds: AlertRoundStats[]) => rounds.reduce((n, r) => n + r.alerts, 0);

  /** A scheduled backup of myVM that fails in `phase`, run to its end. */
  function failScheduled(phase: 'snapshot' | 'transfer'): string {
    h.sandbox.failNextBackup('myVM', phase);
    const id = h.sandbox.startScheduledBackup('myVM');
    h.advanceMinutes(phase === 'snapshot' ? 9 : 42);
    return id;
  }

  it('does not alert the failures that ended before it started watching (the seeded history has two)', async () => {
    const seeded = await h.service.listJobs({ operation: 'Backup', limit: 50, since: new Date(0) });
    expect(seeded.filter((j) => j.status !== 'Completed' && j.status !== 'InProgress').length).toBe(2);
    const target = recorder();
    const rounds = await bothStatuses(alerter(await openDatabase(':memory:'), [target]));
    expect(rounds.map((r) => r.status)).toEqual(['Failed', 'CompletedWithWarnings']);
    expect(rounds.map((r) => r.listCalls)).toEqual([1, 1]);
    expect(target.views).toEqual([]);
  });

  it('alerts a failed scheduled backup once, with its failed phase and error, in one list call per round', async () => {
    const target = recorder();
    const a = alerter(await openDatabase(':memory:'), [target]);
    await bothStatuses(a);
    const id = failScheduled('snapshot');
    const lists = () =>
      h.sandbox.requestLog.filter((r) => r.method === 'GET' && /\/backupJobs$/.test(r.path));
    const listsBefore = lists().length;
    const rounds = await bothStatuses(a);
    expect(lists().length - listsBefore).toBe(2);
    expect(alertsOf(rounds)).toBe(1);
    expect(rounds.reduce((n, r) => n + r.detailCalls, 0)).toBe(1);
    expect(target.views).toHaveLength(1);
    const [view] = target.views as [JobAlertView];
    expect(view).toMatchObject({ kind: 'job-alert', resourceGroup: 'rg-chatops', inDefaultVault: true });
    expect(view.job).toMatchObject({ id, vmName: 'myVM', status: 'Failed' });
    // As in the recorded live sessions, Azure's job record does not say who started it.
    expect(view.job.isUserTriggered).toBeUndefined();
    expect(view.job.phases?.snapshot.status).toBe('Failed');
    expect(view.job.errors[0]?.code).toBe('ExtensionSnapshotFailedNoNetwork');
    // Later rounds find it again in the list, and say nothing.
    expect(alertsOf([...(await bothStatuses(a)), ...(await bothStatuses(a))])).toBe(0);
    expect(target.views).toHaveLength(1);
  });

  it('alerts a scheduled backup whose transfer failed (completed with warning)', async () => {
    const target = recorder();
    const a = alerter(await openDatabase(':memory:'), [target]);
    await bothStatuses(a);
    const id = failScheduled('transfer');
    await bothStatuses(a);
    expect(target.views.map((v) => [v.job.id, v.job.status, v.job.phases?.transfer.status])).toEqual([
      [id, 'CompletedWithWarnings', 'Failed'],
    ]);
  });

  it('does not alert backups the bot started, nor scheduled ones that succeed or are still running', async () => {
    const target = recorder();
    const db = await openDatabase(':memory:');
    const a = alerter(db, [target]);
    await bothStatuses(a);
    h.sandbox.failNextBackup('myVM', 'snapshot');
    const service = rememberingStartedBackups(h.service, new StartedJobStore(db), {
      defaultResourceGroup: 'rg-chatops',
      now: () => h.sandbox.clock.now(),
      logger: silentLogger,
    });
    const onDemand = await service.backupNow({ vm: 'myVM' });
    expect(onDemand.job.isUserTriggered).toBeUndefined();
    h.advanceMinutes(9);
    h.sandbox.startScheduledBackup('myVM'); // succeeds
    h.advanceMinutes(42);
    h.sandbox.failNextBackup('myVM', 'transfer');
    const running = h.sandbox.startScheduledBackup('myVM'); // still transferring when the rounds run
    h.advanceMinutes(20);
    expect((await h.service.getJob(onDemand.job.id)).status).toBe('Failed');
    expect(alertsOf(await bothStatuses(a))).toBe(0);
    expect(target.views).toEqual([]);
    // Once its transfer fails, the running one is alerted.
    h.advanceMinutes(25);
    expect(alertsOf(await bothStatuses(a))).toBe(1);
    expect(target.views.map((v) => v.job.id)).toEqual([running]);
  });

  it('retries an alert whose post failed, and then sends it exactly once', async () => {
    const target = recorder('flaky', 1);
    const a = alerter(await openDatabase(':memory:'), [target]);
    await bothStatuses(a);
    const id = failScheduled('snapshot');
    expect(alertsOf(await bothStatuses(a))).toBe(0);
    expect(alertsOf(await bothStatuses(a))).toBe(1);
    expect(alertsOf(await bothStatuses(a))).toBe(0);
    expect(target.views.map((v) => v.job.id)).toEqual([id]);
  });

  it('alerts each target once, and a second alerter on the same database sends nothing more', async () => {
    const db = await openDatabase(':memory:');
    const slack = recorder('slack:C0ALERTS');
    const web = recorder('web');
    const first = alerter(db, [slack, web]);
    const second = alerter(db, [recorder('slack:C0ALERTS'), recorder('web')]);
    await bothStatuses(first);
    await bothStatuses(second);
    failScheduled('snapshot');
    // Both poll the same rounds at once: the claim lets one of them post per target.
    const rounds = await Promise.all([bothStatuses(first), bothStatuses(second)]);
    expect(rounds.flat().reduce((n, r) => n + r.alerts, 0)).toBe(2);
    expect(slack.views.length + web.views.length).toBe(2);
  });

  it('after a restart, alerts nothing twice but does alert a failure that happened while it was down', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alerts-')), 'bot.db');
    const db1 = await openDatabase(path);
    const before = recorder();
    const a = alerter(db1, [before]);
    await bothStatuses(a);
    const alerted = failScheduled('snapshot');
    await bothStatuses(a);
    expect(before.views.map((v) => v.job.id)).toEqual([alerted]);
    await db1.destroy();

    const whileDown = failScheduled('transfer');
    h.advanceMinutes(60);
    const db2 = await openDatabase(path);
    const after = recorder();
    await bothStatuses(alerter(db2, [after]));
    expect(after.views.map((v) => v.job.id)).toEqual([whileDown]);
    await db2.destroy();
  });

  it('lists each watched vault once per round, and a missing vault does not stop the others', async () => {
    await h.service.createVault({ name: 'rsv-second', location: 'westus', resourceGroup: 'rg-chatops' });
    const target = recorder();
    const a = alerter(
      await openDatabase(':memory:'),
      [target],
      [
        { vault: 'rsv-gone', resourceGroup: 'rg-chatops' },
        { vault: 'rsv-second', resourceGroup: 'rg-chatops' },
        DEFAULT_VAULT,
      ],
    );
    const first = await bothStatuses(a);
    expect(first.map((r) => r.listCalls)).toEqual([2, 2]);
    failScheduled('snapshot');
    expect(alertsOf(await bothStatuses(a))).toBe(1);
    expect(target.views[0]?.job.vaultName).toBe('rsv-westus');
  });
});
