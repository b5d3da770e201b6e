import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalWorkflow } from '../../src/approvals/approval-workflow.js';
import { AuditLog } from '../../src/approvals/audit-log.js';
import { silentLogger } from '../../src/logger.js';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { presentDigest } from '../../src/cards/present-digest.js';
import { formatTime } from '../../src/cards/card-format.js';
import type { View } from '../../src/cards/views.js';
import { CommandRegistry } from '../../src/chat/command-registry.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import { collectDigest } from '../../src/fleet/backup-digest.js';
import { SANDBOX_SECOND_SUBSCRIPTION as EAST } from '../../src/sandbox/seed-ids.js';
import { openDatabase } from '../../src/store/open-database.js';
import { visibleText } from '../cards/card-actions.js';
import type { Harness } from './service-harness.js';
import { appErrorOf, startHarness, TWO_SUBSCRIPTIONS } from './service-harness.js';

/**
 * Soft delete keeps deleted backup data for the vault's retention (14–180 days), not always 14:
 * the second sandbox subscription's vault keeps it 30 days, and every place the bot states a purge
 * date is checked against it.
 */
const alice = { id: 'web:alice', name: 'Alice' };
const IN_EAST = `in subscription "${EAST.displayName}"`;
const DAY = 86_400_000;

describe('purge dates on a vault that keeps soft-deleted data 30 days', () => {
  let h: Harness;
  let registry: CommandRegistry;
  let deletedAt: number;
  const purgeAt = () => new Date(deletedAt + EAST.softDeleteRetentionDays * DAY).toISOString();
  const say = async (text: string): Promise<View> =>
    (await registry.handle({ platform: 'web', user: alice, conversationId: 'c', text })).view;
  const words = (v: View) => JSON.stringify(v);

  beforeAll(async () => {
    h = await startHarness({}, TWO_SUBSCRIPTIONS);
    const db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'retention-')), 'bot.db'));
    const now = () => h.sandbox.clock.now();
    const audit = new AuditLog(db, now);
    const approvals = new ApprovalWorkflow({
      logger: silentLogger,
      onSettled: async () => undefined,
      db,
      audit,
      now,
      ttlMs: 60 * 60_000,
      run: (action, args, plan, operations) => registry.runApproved(action, args, plan, operations),
      follow: (op) => h.service.followAccepted(op),
    });
    registry = new CommandRegistry({
      service: h.service,
      roles: new RoleDirectory([{ userId: alice.id, roles: ['operator'] }], []),
      defaults: {
        subscriptionId: 's',
        vaultName: 'rsv-westus',
        vaultResourceGroup: 'rg-chatops',
        portalLinks: false,
      },
      now,
      approvals,
      audit,
    });
  });
  afterAll(() => h.close());

  it('the stop-and-delete approval card says the vault’s 30 days, not 14', async () => {
    const card = await say(`stop backup for app-east-01 and delete data ${IN_EAST}`);
    expect(card.kind).toBe('approval');
    const until = new Date(h.sandbox.clock.now().getTime() + 30 * DAY).toISOString().slice(0, 10);
    expect(words(card)).toContain(`Soft delete keeps the deleted data until ${until} (30 days)`);
  });

  it('after the delete, the service, the VM list, the stop card and the refusals give the 30-day purge date', async () => {
    deletedAt = h.sandbox.clock.now().getTime();
    const r = await h.service.stopProtection({ vm: 'app-east-01', deleteData: true, subscription: EAST.id });
    expect(r.softDeletedUntil).toBe(purgeAt());

    const { vault, vms } = await h.service.listVms({ subscription: EAST.id });
    const vm = vms.find((v) => v.name === 'app-east-01')!;
    expect(vm.protection.softDeleted).toEqual({
      deletedAt: new Date(deletedAt).toISOString(),
      purgeAt: purgeAt(),
    });
    const list = visibleText(renderAdaptiveCard({ kind: 'vm-list', vault, vms }));
    expect(list).toContain(formatTime(purgeAt()));
    expect(list).not.toContain(formatTime(new Date(deletedAt + 14 * DAY).toISOString()));

    // Asking again, or backing up, says until when the deleted data is kept.
    expect(words(await say(`stop backup for app-east-01 and delete data ${IN_EAST}`))).toContain(
      purgeAt().slice(0, 10),
    );
    const refused = await appErrorOf(h.service.backupNow({ vm: 'app-east-01', subscription: EAST.id }));
    expect(refused.message).toContain(purgeAt().slice(0, 10));
  });

  it('backup health lists the soft-deleted VM with its 30-day purge date', async () => {
    const report = await collectDigest(
      h.service,
      [{ vault: EAST.vaultName, resourceGroup: EAST.vaultResourceGroup, subscription: EAST.id }],
      h.sandbox.clock.now(),
    );
    expect(report.vaults[0]!.softDeleted).toEqual([{ vm: 'app-east-01', purgeAt: purgeAt() }]);
    expect(words(presentDigest(report))).toContain(`purged ${purgeAt().slice(0, 10)}`);
  });

  it('the resource group card says when the deleted vault’s data is purged', async () => {
    const rg = await h.service.describeResourceGroup(EAST.vaultResourceGroup, EAST.id);
    expect(rg.vaults).toEqual([
      {
        name: EAST.vaultName,
        blockingItems: [],
        softDeletedItems: ['app-east-01'],
        softDeletedUntil: purgeAt(),
      },
    ]);
    const card = await say(`delete resource group ${EAST.vaultResourceGroup} ${IN_EAST}`);
    expect(card.kind).toBe('approval');
    expect(words(card)).toContain(`until that data is purged (${purgeAt().slice(0, 10)})`);
    expect(words(card)).not.toMatch(/14 days/);
  });

  it('the sandbox keeps the data the vault’s 30 days, then purges it', async () => {
    h.advanceMinutes(20 * 24 * 60);
    expect(
      (await h.service.getVm('app-east-01', { subscription: EAST.id })).protection.softDeleted,
    ).toBeDefined();
    h.advanceMinutes(11 * 24 * 60);
    expect((await h.service.getVm('app-east-01', { subscription: EAST.id })).protection.state).toBe(
      'NotProtected',
    );
  });
});
