import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { presentDigest } from '../../src/cards/present-digest.js';
import type { MessageView } from '../../src/cards/views.js';
import { renderBlockKit } from '../../src/channels/slack/block-kit-renderer.js';
import { CommandRegistry } from '../../src/chat/command-registry.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import { collectDigest } from '../../src/fleet/backup-digest.js';
import type { ChannelAddress, DigestReport } from '../../src/domain/index.js';
import { DigestScheduler } from '../../src/fleet/digest-scheduler.js';
import type { FleetServices } from '../../src/fleet/fleet-services.js';
import { fleetServicesOf } from '../../src/fleet/fleet-wiring.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { Database } from '../../src/store/schema.js';
import { SANDBOX_SECOND_SUBSCRIPTION as EAST } from '../../src/sandbox/seed-ids.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness, TWO_SUBSCRIPTIONS } from '../azure/service-harness.js';
import { cardBytes, MAX_CARD_BYTES, schemaErrors } from '../cards/card-schema.js';

const VAULT = { vault: 'rsv-westus', resourceGroup: 'rg-chatops' };
const defaults = {
  subscriptionId: 'sub',
  vaultName: 'rsv-westus',
  vaultResourceGroup: 'rg-chatops',
  portalLinks: false,
};
const alice = { id: 'T1:UALICE', name: 'Alice' };
const carol = { id: 'T1:UCAROL', name: 'Carol' };

/** A vault's health with nothing to report. */
const quiet = {
  protectedVms: [],
  failures24h: [],
  unprotected: [],
  softDeleted: [],
  oldAgents: [],
  problems: [],
};

describe('the backup health digest', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('reports per vault: protected VMs, failures in 24 h, unprotected VMs, soft-deleted data, old agents', async () => {
    h.advanceMinutes(1);
    h.sandbox.failNextBackup('myVM', 'snapshot');
    const failed = h.sandbox.startScheduledBackup('myVM');
    h.advanceMinutes(9);
    const report = await collectDigest(h.service, [VAULT], h.sandbox.clock.now());
    const v = report.vaults[0]!;
    expect(v.protectedVms.map((p) => p.name)).toContain('myVM');
    expect(v.failures24h).toContainEqual(
      expect.objectContaining({ vm: 'myVM', jobId: failed, status: 'Failed' }),
    );
    expect(v.unprotected).toContain('web-linux-01');
    expect(v.unprotected).not.toContain('db-eastus-01');
    expect(v.oldAgents).toContainEqual(expect.objectContaining({ vm: 'legacy-win-01', issue: 'outdated' }));
    // The card says the finding in the words every agent warning uses.
    expect(JSON.stringify(presentDigest(report))).toMatch(
      /legacy-win-01 runs Windows VM agent [\d.]+; Azure Backup needs [\d.]+ or later\./,
    );
    expect(v.problems).toEqual([]);
  });

  it('is one card that validates as Adaptive Card 1.5, stays small, and fits Slack', async () => {
    const report = await collectDigest(h.service, [VAULT], h.sandbox.clock.now());
    const view = presentDigest(report);
    expect(view.title).toMatch(/^Backup health · \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const card = renderAdaptiveCard(view);
    expect(schemaErrors(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
    const slack = renderBlockKit(view);
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
  });

  it('keeps a big vault to a few lines a vault and says how many more', () => {
    const report: DigestReport = {
      asOf: '2026-12-02T08:00:00.000Z',
      vaults: [
        {
          ...VAULT,
          protectedVms: [],
          failures24h: Array.from({ length: 30 }, (_, i) => ({
            vm: `vm-${i}`,
            jobId: `j${i}`,
            status: 'Failed',
          })),
          unprotected: [],
          softDeleted: [{ vm: 'old-vm', purgeAt: '2026-12-10T00:00:00Z' }],
          oldAgents: [],
          problems: [],
        },
        {
          vault: 'rsv-quiet',
          resourceGroup: 'rg',
          ...quiet,
        },
      ],
    };
    const view = presentDigest(report);
    expect(view.tone).toBe('warning');
    expect(view.text).toBe('31 things to look at in 2 vaults.');
    expect(view.facts!.length).toBe(1 + 8 + 1 + 1);
    expect(view.facts!.at(-2)).toEqual({ title: '…', value: expect.stringContaining('23 more') as string });
    expect(view.facts!.at(-1)).toEqual({
      title: '🗄️ rsv-quiet',
      value: '0 protected VMs · no failures in 24 h',
    });
  });

  describe('commands and schedules', () => {
    let db: Kysely<Database>;
    let fleet: FleetServices;
    let registry: CommandRegistry;
    beforeEach(async () => {
      db = await openDatabase(':memory:');
      fleet = fleetServicesOf(db, [VAULT]);
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
        fleet,
        now: () => new Date('2026-12-02T07:00:00Z'),
      });
    });
    const say = (user: typeof alice, text: string, channel = 'C0OPS') =>
      registry.handle({ platform: 'slack', user, conversationId: channel, text });

    it('answers "backup health" on demand to a reader', async () => {
      const reply = await say(carol, 'backup health');
      expect(reply.view).toMatchObject({
        kind: 'message',
        title: expect.stringMatching(/^Backup health/) as string,
      });
      expect((reply.view as MessageView).facts![0]!.title).toBe('🗄️ rsv-westus');
    });

    it('schedules, reschedules and stops a channel digest (operator), and refuses a bad time', async () => {
      expect((await say(carol, 'digest daily at 08:00')).view).toMatchObject({ code: 'auth.forbidden' });
      expect((await say(alice, 'digest daily at 25:00')).view).toMatchObject({
        kind: 'error',
        code: 'validation.time',
      });
      expect((await say(alice, 'digest daily at 8:00')).view).toMatchObject({
        title: 'Daily digest scheduled',
      });
      expect(await fleet.digests.list()).toEqual([
        expect.objectContaining({ target: 'slack:C0OPS', time: '08:00', createdBy: alice.id }),
      ]);
      // 06:30 has passed at 07:00: the first digest is tomorrow's.
      await say(alice, 'digest daily at 06:30');
      expect((await fleet.digests.list())[0]).toMatchObject({ time: '06:30', lastSentOn: '2026-12-02' });
      expect((await say(carol, 'subscriptions')).view).toMatchObject({
        facts: [{ title: 'Daily digest', value: '06:30 UTC' }],
      });
      expect((await say(alice, 'digest off')).view).toMatchObject({ title: 'Daily digest stopped' });
      expect(await fleet.digests.list()).toEqual([]);
    });

    it('posts each digest once a day at its time, on one of two replicas, and after a restart', async () => {
      await fleet.digests.schedule(
        { address: { platform: 'slack', channelId: 'C0OPS' }, time: '08:00', createdBy: alice.id },
        undefined,
      );
      let clock = new Date('2026-12-02T07:59:00Z');
      const posted: string[] = [];
      const posterFor = (a: ChannelAddress) =>
        a.platform === 'slack'
          ? async (report: DigestReport) => {
              posted.push(`${a.channelId}: ${report.asOf} (${report.vaults.map((v) => v.vault).join(', ')})`);
            }
          : undefined;
      // Two replicas on one database.
      const replica = () =>
        new DigestScheduler({
          store: fleet.digests,
          service: h.service,
          vaultsFor: (t) => fleet.vaultsFor(t),
          posterFor,
          intervalMs: 60_000,
          now: () => clock,
        });
      const [a, b] = [replica(), replica()];
      expect(await a.runOnce()).toBe(0);
      clock = new Date('2026-12-02T08:00:30Z');
      const sent = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(sent.sort()).toEqual([0, 1]);
      expect(posted).toEqual(['C0OPS: 2026-12-02T08:00:30.000Z (rsv-westus)']);
      // A restart later that day sends nothing more; the next day it is due again.
      clock = new Date('2026-12-02T15:00:00Z');
      expect(await replica().runOnce()).toBe(0);
      clock = new Date('2026-12-03T09:10:00Z');
      expect(await replica().runOnce()).toBe(1);
      expect(posted).toHaveLength(2);
    });

    it('gives the day back when the post fails, so the next round retries', async () => {
      await fleet.digests.schedule(
        { address: { platform: 'slack', channelId: 'C0DOWN' }, time: '08:00', createdBy: alice.id },
        undefined,
      );
      let fail = true;
      const posts: string[] = [];
      const s = new DigestScheduler({
        store: fleet.digests,
        service: h.service,
        vaultsFor: (t) => fleet.vaultsFor(t),
        posterFor: () => async () => {
          if (fail) throw new Error('Slack is down');
          posts.push('ok');
        },
        intervalMs: 60_000,
        now: () => new Date('2026-12-02T08:05:00Z'),
      });
      expect(await s.runOnce()).toBe(0);
      fail = false;
      expect(await s.runOnce()).toBe(1);
      expect(posts).toEqual(['ok']);
    });
  });
});

/** Issue 18: `backup health` names a vault's subscription like every other command. */
describe('the backup health digest across subscriptions', () => {
  let h: Harness;
  let registry: CommandRegistry;
  beforeAll(async () => {
    h = await startHarness({}, TWO_SUBSCRIPTIONS);
    registry = new CommandRegistry({
      service: h.service,
      roles: new RoleDirectory([{ userId: carol.id, roles: ['reader'] }], []),
      defaults,
      fleet: fleetServicesOf(await openDatabase(':memory:'), [VAULT]),
      now: () => h.sandbox.clock.now(),
    });
  });
  afterAll(() => h.close());
  const say = (text: string) =>
    registry.handle({ platform: 'slack', user: carol, conversationId: 'C0OPS', text });

  it("reports the vault of the subscription named, by display name or with the vault's name", async () => {
    for (const text of [
      `backup health in subscription "${EAST.displayName}"`,
      `backup health for vault ${EAST.vaultName} in subscription ${EAST.id}`,
    ]) {
      const view = (await say(text)).view as MessageView;
      expect(view.kind, text).toBe('message');
      expect(view.facts![0], text).toEqual({
        title: `🗄️ ${EAST.vaultName}`,
        value: expect.stringMatching(/^1 protected VM · last backup/) as string,
      });
    }
  });

  it('says so when the subscription named is not one the bot works in', async () => {
    expect((await say('backup health in subscription "Fabrikam Prod"')).view).toMatchObject({
      kind: 'error',
      code: 'validation.subscription_not_found',
    });
  });

  it('tells two same-named vaults apart by group and subscription', () => {
    const view = presentDigest({
      asOf: '2026-12-02T08:00:00.000Z',
      vaults: [
        { vault: 'rsv-eastus', resourceGroup: 'rg-backup-east', subscription: 'sub-a', ...quiet },
        { vault: 'rsv-eastus', resourceGroup: 'rg-backup-east', subscription: 'sub-b', ...quiet },
        { vault: 'rsv-westus', resourceGroup: 'rg-chatops', subscription: 'sub-a', ...quiet },
      ],
    });
    expect(view.facts!.map((f) => f.title)).toEqual([
      '🗄️ rg-backup-east/rsv-eastus in subscription sub-a',
      '🗄️ rg-backup-east/rsv-eastus in subscription sub-b',
      '🗄️ rsv-westus',
    ]);
  });
});
