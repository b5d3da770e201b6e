import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { AuditLog } from '../../src/approvals/audit-log.js';
import type { ChatRequest, ChannelAddress } from '../../src/domain/index.js';
import { CommandRegistry } from '../../src/chat/command-registry.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import { alertSubscribers } from '../../src/fleet/alert-subscribers.js';
import { fleetServicesOf } from '../../src/fleet/fleet-wiring.js';
import type { FleetServices } from '../../src/fleet/fleet-services.js';
import type { JobAlert } from '../../src/jobs/scheduled-job-alerts.js';
import { ScheduledJobAlerter } from '../../src/jobs/scheduled-job-alerts.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { Database } from '../../src/store/schema.js';
import { StartedJobStore } from '../../src/store/started-job-store.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';

const defaults = {
  subscriptionId: 'sub',
  vaultName: 'rsv-westus',
  vaultResourceGroup: 'rg-chatops',
  portalLinks: false,
};
const alice = { id: 'T1:UALICE', name: 'Alice' };
const carol = { id: 'T1:UCAROL', name: 'Carol' };

describe('alert subscriptions from chat', () => {
  let h: Harness;
  let db: Kysely<Database>;
  let fleet: FleetServices;
  let registry: CommandRegistry;
  let audit: AuditLog;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.advanceMinutes(1);
    db = await openDatabase(':memory:');
    fleet = fleetServicesOf(db, [{ vault: 'rsv-westus', resourceGroup: 'rg-chatops' }]);
    audit = new AuditLog(db, () => h.sandbox.clock.now());
    registry = new CommandRegistry({
      service: h.service,
      roles: new RoleDirectory(
        [
          { userId: alice.id, roles: ['operator'] },
          { userId: carol.id, roles: ['reader'] },
        ],
        [],
      ),
      defaults,
      audit,
      fleet,
      now: () => h.sandbox.clock.now(),
    });
  });

  const slack = (user: typeof alice, text: string, channel = 'C0OPS') =>
    registry.handle({ platform: 'slack', user, conversationId: channel, text } satisfies ChatRequest);

  it('subscribes a channel for one vault, only failures, and says so; audited', async () => {
    const reply = await slack(
      alice,
      'subscribe to backup alerts for vault rg-chatops/rsv-westus only failures',
    );
    expect(reply.view).toMatchObject({
      kind: 'message',
      tone: 'success',
      title: 'Subscribed to backup alerts',
    });
    expect(await fleet.subscriptions.list()).toEqual([
      expect.objectContaining({
        target: 'slack:C0OPS',
        address: { platform: 'slack', channelId: 'C0OPS' },
        vault: { vault: 'rsv-westus', resourceGroup: 'rg-chatops' },
        onlyFailures: true,
        createdBy: alice.id,
      }),
    ]);
    const entries = await audit.list();
    expect(entries.map((e) => [e.action, e.target, e.outcome])).toContainEqual([
      'alerts.subscribe',
      'vault rg-chatops/rsv-westus',
      'ok',
    ]);
  });

  it('keeps any number of subscriptions per channel, fills in the default resource group, and lists them', async () => {
    await slack(alice, 'subscribe to backup alerts');
    await slack(alice, 'subscribe to backup alerts for vault rsv-eastus');
    await slack(alice, 'Subscribe to backup alerts for all vaults only failures');
    await slack(alice, 'subscribe to backup alerts', 'C0OTHER');
    const mine = await fleet.subscriptions.list('slack:C0OPS');
    expect(mine.map((s) => [s.vault?.resourceGroup ?? '*', s.vault?.vault ?? '*', s.onlyFailures])).toEqual([
      ['*', '*', true],
      ['rg-chatops', 'rsv-eastus', false],
    ]);
    const listed = await slack(carol, 'subscriptions');
    expect(listed.view).toMatchObject({
      kind: 'message',
      facts: [
        { title: 'All vaults', value: expect.stringContaining('failures only') as string },
        { title: 'rg-chatops/rsv-eastus', value: expect.stringContaining('failures and warnings') as string },
      ],
    });
  });

  it('needs the operator role to subscribe or unsubscribe', async () => {
    expect((await slack(carol, 'subscribe to backup alerts')).view).toMatchObject({
      kind: 'error',
      code: 'auth.forbidden',
    });
    await slack(alice, 'subscribe to backup alerts');
    expect((await slack(carol, 'unsubscribe from backup alerts')).view).toMatchObject({
      code: 'auth.forbidden',
    });
    expect(await fleet.subscriptions.list()).toHaveLength(1);
  });

  it('unsubscribes one scope or every subscription of the channel', async () => {
    await slack(alice, 'subscribe to backup alerts for vault rsv-westus');
    await slack(alice, 'subscribe to backup alerts for vault rsv-eastus');
    await slack(alice, 'subscribe to backup alerts for all vaults');
    expect((await slack(alice, 'unsubscribe from backup alerts for vault rsv-eastus')).view).toMatchObject({
      title: 'Unsubscribed',
    });
    expect((await fleet.subscriptions.list()).map((s) => s.vault?.vault ?? 'all').sort()).toEqual([
      'all',
      'rsv-westus',
    ]);
    expect((await slack(alice, 'unsubscribe from backup alerts for vault rsv-eastus')).view).toMatchObject({
      title: 'No such subscription',
    });
    expect((await slack(alice, 'unsubscribe from backup alerts')).view).toMatchObject({
      text: expect.stringContaining('Removed 2 subscriptions') as string,
    });
    expect(await fleet.subscriptions.list()).toEqual([]);
  });

  it('stores the conversation reference a Teams poster needs, and refuses a Teams request without one', async () => {
    const teams = (request: Partial<ChatRequest>) =>
      registry.handle({
        platform: 'teams',
        user: alice,
        conversationId: '19:ops@thread.tacv2',
        text: 'subscribe to backup alerts',
        ...request,
      });
    expect((await teams({})).view).toMatchObject({ kind: 'error', code: 'validation.channel' });
    await teams({
      replyAddress: { serviceUrl: 'https://smba.trafficmanager.net/emea/', tenantId: 'tenant-1' },
    });
    expect((await fleet.subscriptions.list())[0]!.address).toEqual({
      platform: 'teams',
      conversationId: '19:ops@thread.tacv2',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      tenantId: 'tenant-1',
    });
  });

  it('refuses a malformed vault name with the rule', async () => {
    const reply = await slack(alice, 'subscribe to backup alerts for vault rg/bad_vault!');
    expect(reply.view).toMatchObject({ kind: 'error' });
    expect(await fleet.subscriptions.list()).toEqual([]);
  });

  describe('the alerter posts to subscribed channels', () => {
    function recorderPosters() {
      const posted: Record<string, JobAlert[]> = {};
      const posterFor = (a: ChannelAddress) =>
        a.platform === 'slack'
          ? async (alert: JobAlert) => void (posted[a.channelId] ??= []).push(alert)
          : undefined;
      return { posted, posterFor };
    }

    function alerter(posterFor: ReturnType<typeof recorderPosters>['posterFor']) {
      return new ScheduledJobAlerter({
        service: h.service,
        store: new AlertStore(db),
        startedJobs: new StartedJobStore(db),
        vaults: [],
        targets: [],
        subscribers: alertSubscribers(fleet.subscriptions, posterFor),
        intervalMs: 10,
        now: () => h.sandbox.clock.now(),
      });
    }

    function failScheduled(phase: 'snapshot' | 'transfer'): string {
      h.sandbox.failNextBackup('myVM', phase);
      const id = h.sandbox.startScheduledBackup('myVM');
      h.advanceMinutes(phase === 'snapshot' ? 9 : 42);
      return id;
    }

    it('alerts each subscribed channel by its scope: a warning only where failures-only is off', async () => {
      await slack(alice, 'subscribe to backup alerts for vault rg-chatops/rsv-westus', 'C0ALL');
      await slack(alice, 'subscribe to backup alerts for all vaults only failures', 'C0FAIL');
      await slack(alice, 'subscribe to backup alerts for vault rsv-eastus', 'C0EAST');
      const { posted, posterFor } = recorderPosters();
      const a = alerter(posterFor);
      // The first rounds start the watch: what ended before a subscription is not alerted.
      await a.pollOnce();
      await a.pollOnce();
      h.advanceMinutes(1);
      const failed = failScheduled('snapshot');
      const warned = failScheduled('transfer');
      for (let i = 0; i < 4; i++) await a.pollOnce();
      const ids = (channel: string) => (posted[channel] ?? []).map((v) => v.job.id).sort();
      expect(ids('C0ALL')).toEqual([failed, warned].sort());
      expect(ids('C0FAIL')).toEqual([failed]);
      expect(ids('C0EAST')).toEqual([]);
    });

    it('stops posting to a channel once it unsubscribes', async () => {
      await slack(alice, 'subscribe to backup alerts', 'C0GONE');
      const { posted, posterFor } = recorderPosters();
      const a = alerter(posterFor);
      await a.pollOnce();
      await slack(alice, 'unsubscribe from backup alerts', 'C0GONE');
      h.advanceMinutes(1);
      failScheduled('snapshot');
      await a.pollOnce();
      await a.pollOnce();
      expect(posted).toEqual({});
    });
  });
});
