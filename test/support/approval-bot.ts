import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Settled } from '../../src/approvals/approval-workflow.js';
import { ApprovalWorkflow } from '../../src/approvals/approval-workflow.js';
import { AuditLog } from '../../src/approvals/audit-log.js';
import { toApprovalView } from '../../src/cards/present-approval.js';
import type { ApprovalView, View } from '../../src/cards/views.js';
import type { Logger } from '../../src/logger.js';
import { CommandRegistry } from '../../src/chat/command-registry.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';
import { until } from './until.js';

/**
 * The approval workflow through the real command registry, backup service and sandbox, with its
 * state in a SQLite file (so a "restart" is a new workflow on the same file). `approvalHarness()`
 * gives each test a fresh sandbox and database; `clockOffset` moves the workflow's clock ahead.
 */
export const alice = { id: 'web:alice', name: 'Alice' }; // operator
export const bob = { id: 'web:bob', name: 'Bob' }; // operator + approver
export const dave = { id: 'web:dave', name: 'Dave' }; // approver

/** A line the workflow logged. */
export interface LoggedLine {
  level: keyof Logger;
  msg: string;
  fields: Record<string, unknown>;
}

export interface ApprovalHarness {
  h: Harness;
  dbPath: string;
  clockOffset: number;
  bot(o?: BotOptions): ReturnType<typeof startBot>;
  deleteJobs(): number;
}

export function approvalHarness(): ApprovalHarness {
  const t = {
    clockOffset: 0,
    bot: (o: BotOptions = {}) => startBot(t as ApprovalHarness, o),
    deleteJobs: () => t.h.sandbox.world.jobs.filter((j) => j.operation === 'DeleteBackupData').length,
  } as ApprovalHarness;
  beforeEach(async () => {
    t.h = await startHarness();
    t.dbPath = join(mkdtempSync(join(tmpdir(), 'approvals-')), 'bot.db');
    t.clockOffset = 0;
  });
  afterEach(() => t.h.close());
  return t;
}

interface BotOptions {
  /** The bot "dies" once Azure accepted the approved action (its run never ends). */
  stallAfterAccepted?: boolean;
  /** Runs instead of the approved action (to make it throw). */
  runInstead?: () => Promise<never>;
  /** Replaces how the card is told an approved action ended. */
  onSettled?: (s: Settled) => Promise<void>;
}

async function startBot(t: ApprovalHarness, o: BotOptions) {
  const { h } = t;
  const db = await openDatabase(t.dbPath);
  const now = () => new Date(h.sandbox.clock.now().getTime() + t.clockOffset);
  const audit = new AuditLog(db, now);
  const settled: Settled[] = [];
  const logged: LoggedLine[] = [];
  const logger: Logger = {
    info: (msg, fields = {}) => void logged.push({ level: 'info', msg, fields }),
    warn: (msg, fields = {}) => void logged.push({ level: 'warn', msg, fields }),
    error: (msg, fields = {}) => void logged.push({ level: 'error', msg, fields }),
  };
  const approvals: ApprovalWorkflow = new ApprovalWorkflow({
    onSettled: o.onSettled ?? (async (s) => void settled.push(s)),
    db,
    audit,
    logger,
    now,
    ttlMs: 60 * 60_000,
    run: (action, args, plan, operations) =>
      o.runInstead?.() ??
      registry.runApproved(
        action,
        args,
        plan,
        o.stallAfterAccepted
          ? {
              onAccepted: async (op) => {
                await operations.onAccepted(op);
                await new Promise(() => undefined);
              },
            }
          : operations,
      ),
    follow: (op) => h.service.followAccepted(op),
  });
  const registry: CommandRegistry = new CommandRegistry({
    service: h.service,
    roles: new RoleDirectory(
      [
        { userId: alice.id, roles: ['operator'] },
        { userId: bob.id, roles: ['operator', 'approver'] },
        { userId: dave.id, roles: ['approver'] },
      ],
      [],
    ),
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
  const say = async (user: typeof alice, text: string): Promise<View> =>
    (await registry.handle({ platform: 'web', user, conversationId: 'c', text })).view;
  const click = async (user: typeof alice, verb: string, data: Record<string, unknown>): Promise<View> =>
    (await registry.handle({ platform: 'web', user, conversationId: 'c', action: { verb, data } })).view;
  /** The request once its approved action, running in the background, has ended. */
  const ended = async (id: string): Promise<ApprovalView> => {
    await approvals.idle();
    return toApprovalView(await approvals.record(id));
  };
  return { say, click, audit, db, approvals, settled, logged, ended };
}

/** Waits until the approved action's Azure operation is on record (Azure has accepted it). */
export function operationOnRecord(
  b: { db: Awaited<ReturnType<typeof startBot>>['db'] },
  id: string,
): Promise<string> {
  return until('the Azure operation on record', async () => {
    const row = await b.db
      .selectFrom('approvals')
      .select('azure_operation')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.azure_operation ?? undefined;
  });
}

export function approval(v: View): ApprovalView {
  if (v.kind !== 'approval') throw new Error(`expected an approval card, got ${JSON.stringify(v)}`);
  return v;
}
