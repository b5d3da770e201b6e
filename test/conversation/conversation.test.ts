import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { beforeEach, describe, expect, it } from 'vitest';
import { RequestBudgetScheduler, onBudgetHold } from '../../src/azure/request-budget-scheduler.js';
import type { View } from '../../src/cards/views.js';
import type { BackupJob, ChatRequest, ConversationTarget, MessageRef } from '../../src/domain/index.js';
import type { Reply } from '../../src/chat/reply.js';
import type { ChannelPort } from '../../src/conversation/channel-port.js';
import { CommandJournal } from '../../src/conversation/command-journal.js';
import { sendPriority } from '../../src/conversation/send-priority.js';
import { WORK_CONCURRENCY } from '../../src/conversation/work-queue.js';
import { Conversations, SHOWN_IN_ACK } from '../../src/conversation/conversation.js';
import type { JobWatcher } from '../../src/jobs/job-watcher.js';
import { silentLogger } from '../../src/logger.js';
import { OpenCommandStore } from '../../src/store/open-command-store.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { Database } from '../../src/store/schema.js';
import { WatchStore } from '../../src/store/watch-store.js';
import { until } from '../support/until.js';

/**
 * The conversation core on a real store: two "processes" are two cores on one SQLite file, each
 * with its own hold on the commands it records. The channel is a small recording port (the
 * platforms' own tests drive the real SDKs in test/channels/).
 */
const HOLD_MS = 150;

class RecordingPort implements ChannelPort {
  readonly platform = 'web' as const;
  readonly posted: { target: unknown; view: View }[] = [];
  readonly updated: { key: string; view: View; priority: string }[] = [];
  readonly responded: { target: unknown; view: View }[] = [];
  failUpdates = 0;
  /** Updates wait for this before they are made (a full update window). */
  updateGate: Promise<void> = Promise.resolve();
  // The port's optional capabilities, set by the tests that use them.
  respond?: (target: ConversationTarget, view: View) => Promise<boolean>;
  notify?: (target: ConversationTarget, view: View) => Promise<boolean>;
  updateWaitMs?: () => number;
  private seq = 0;

  async post(target: Record<string, unknown>, view: View): Promise<MessageRef> {
    this.posted.push({ target, view });
    const id = `m${++this.seq}`;
    return { key: id, messageId: id };
  }
  async update(ref: MessageRef, read: () => View): Promise<void> {
    const priority = sendPriority();
    await this.updateGate;
    const view = read();
    if (this.failUpdates > 0) {
      this.failUpdates--;
      throw new Error('platform down');
    }
    this.updated.push({ key: ref.key, view, priority });
  }
  classifyError(): undefined {
    return undefined;
  }
}

const titleOf = (view: View) => (view.kind === 'message' ? view.title : view.kind);
const answer = (title: string): Reply => ({ view: { kind: 'message', tone: 'info', title, text: title } });

function core(
  db: Kysely<Database>,
  o: {
    handle: (r: ChatRequest) => Promise<Reply>;
    recover?: (r: ChatRequest) => Promise<Reply>;
    onShown?: () => Promise<View | undefined>;
  },
) {
  const port = new RecordingPort();
  const conversations: Conversations = new Conversations({
    handle: o.handle,
    recover: o.recover ?? o.handle,
    // Nothing here is watched: the watcher is never reached.
    watcher: {} as JobWatcher,
    watches: new WatchStore(db),
    defaults: { subscriptionId: 's1', vaultName: 'rsv', vaultResourceGroup: 'rg-vault', portalLinks: false },
    journal: new CommandJournal({
      store: new OpenCommandStore(db, HOLD_MS),
      answer: (c, placed) => conversations.answerAbandoned(c, placed),
      platforms: () => conversations.platforms(),
      renewMs: 50,
      logger: silentLogger,
    }),
    logger: silentLogger,
    onBudgetHold,
    ...(o.onShown ? { onShown: o.onShown } : {}),
  });
  return { port, conversations, talk: conversations.attach(port) };
}

const press: ChatRequest = {
  platform: 'web',
  user: { id: 'web:alice', name: 'Alice' },
  conversationId: 'ops',
  action: { verb: 'job.refresh', data: { jobId: 'j1' } },
};
const typed: ChatRequest = {
  platform: 'web',
  user: { id: 'web:alice', name: 'Alice' },
  conversationId: 'ops',
  text: 'list vms',
};
const never = (): Promise<Reply> => new Promise(() => undefined);
const openCommands = (db: Kysely<Database>) => db.selectFrom('open_commands').selectAll().execute();

let db: Kysely<Database>;
beforeEach(async () => {
  db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'conversation-')), 'bot.db'));
});

/**
 * Azure calls through a subscription's scheduler, as in the service: a counter of 50 (floor 10)
 * refilling 20/s, already spent down to the floor by earlier work, so the next calls are held.
 */
async function spentBudget(): Promise<() => Promise<PipelineResponse>> {
  const policy = new RequestBudgetScheduler({ reserve: 5, refillPerSecond: 20 }).policy();
  let left = 50;
  let at = Date.now();
  const next = (request: PipelineRequest): Promise<PipelineResponse> => {
    left += ((Date.now() - at) / 1000) * 20;
    at = Date.now();
    left -= 1;
    return Promise.resolve({
      request,
      status: 200,
      headers: {
        get: (h: string) =>
          h === 'x-ms-ratelimit-remaining-subscription-resource-requests'
            ? String(Math.floor(left))
            : undefined,
      },
    } as unknown as PipelineResponse);
  };
  const url =
    'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupProtectedItems';
  const call = () => policy.sendRequest({ url } as PipelineRequest, next);
  await Promise.all(Array.from({ length: 39 }, call));
  return call;
}

describe('conversation core', () => {
  it('answers a pressed button on its card after the process that took it died', async () => {
    const dead = core(db, { handle: never });
    void dead.talk.press({ conversationId: 'ops' }, press, {
      pressed: { key: 'card-1', messageId: 'card-1' },
    });
    await until('the press on record', async () => (await openCommands(db)).length === 1 || undefined);

    const recovered: ChatRequest[] = [];
    const next = core(db, {
      handle: never,
      recover: async (r) => {
        recovered.push(r);
        return answer('refreshed after the restart');
      },
    });
    await new Promise((r) => setTimeout(r, HOLD_MS + 50)); // the dead process's hold lapses
    await next.conversations.journal.sweep();
    expect(recovered).toEqual([press]);
    expect(next.port.updated).toEqual([
      expect.objectContaining({
        key: 'card-1',
        view: expect.objectContaining({ title: 'refreshed after the restart' }),
      }),
    ]);
    expect(await openCommands(db)).toHaveLength(0);
  });

  it('answers on the message its answer was posted as when the process died before closing the command', async () => {
    // Shown in the ack, answered as a new message; the process dies right after posting it.
    const dead = core(db, {
      handle: async () => answer('the VMs'),
      onShown: () => new Promise(() => undefined),
    });
    void dead.talk.command({ conversationId: 'ops' }, typed, SHOWN_IN_ACK);
    await until('the answer posted', () => (dead.port.posted.length === 1 ? true : undefined));
    await until('the answer on record', async () => (await openCommands(db))[0]?.message_ref || undefined);

    const next = core(db, { handle: never, recover: async () => answer('the VMs, after the restart') });
    await new Promise((r) => setTimeout(r, HOLD_MS + 50)); // the dead process's hold lapses
    await next.conversations.journal.sweep();
    // Not a second message: the one already posted shows the recovered answer.
    expect(next.port.posted).toEqual([]);
    expect(next.port.updated).toEqual([
      expect.objectContaining({
        key: 'm1',
        view: expect.objectContaining({ title: 'the VMs, after the restart' }),
      }),
    ]);
    expect(await openCommands(db)).toHaveLength(0);
  });

  it('keeps a command on record when its answer was not delivered, and closes one that was', async () => {
    const c = core(db, { handle: async () => answer('the VMs') });
    c.port.failUpdates = 1;
    await c.talk.command({ conversationId: 'ops' }, typed, { key: 'p1', messageId: 'p1' });
    const [kept] = await openCommands(db);
    // Handed back, to be answered again (by any process) after a pause: not closed.
    expect(kept).toMatchObject({ owner: '', attempts: 1 });
    await db.deleteFrom('open_commands').execute();
    await c.talk.command({ conversationId: 'ops' }, typed, { key: 'p2', messageId: 'p2' });
    expect(c.port.updated.map((u) => u.key)).toEqual(['p2']);
    expect(await openCommands(db)).toHaveLength(0);
  });

  it('does not answer a command another process took over while this one stalled past its hold', async () => {
    let release!: (r: Reply) => void;
    const stalled = core(db, { handle: () => new Promise((r) => (release = r)) });
    const done = stalled.talk.command({ conversationId: 'ops' }, typed, { key: 'p1', messageId: 'p1' });
    await until('the command on record', async () => (await openCommands(db)).length === 1 || undefined);
    const other = core(db, { handle: async () => answer('answered by the other') });
    await new Promise((r) => setTimeout(r, HOLD_MS + 50)); // no renewal: this one is stalled
    await other.conversations.journal.sweep();
    expect(other.port.updated.map((u) => u.view)).toEqual([
      expect.objectContaining({ title: 'answered by the other' }),
    ]);
    release(answer('late answer'));
    await done;
    expect(stalled.port.updated).toEqual([]);
  });

  it("repaints a command's placeholder as queued while Azure's request budget holds it, then answers", async () => {
    const call = await spentBudget();
    const c = core(db, {
      handle: async () => {
        for (let i = 0; i < 5; i++) await call();
        return answer('the VMs');
      },
    });
    await c.talk.command({ conversationId: 'ops' }, typed, { key: 'p1', messageId: 'p1' });
    expect(c.port.updated.map((u) => titleOf(u.view))).toEqual(['Queued', 'the VMs']);
    expect(c.port.updated[0]!.view).toMatchObject({
      text: expect.stringMatching(
        /^Azure's request budget for this subscription is low, starting in about \d+ s/,
      ),
    });
  });

  it('leaves the placeholder alone when the budget does not hold the command', async () => {
    const c = core(db, { handle: async () => answer('the VMs') });
    await c.talk.command({ conversationId: 'ops' }, typed, { key: 'p1', messageId: 'p1' });
    expect(c.port.updated.map((u) => titleOf(u.view))).toEqual(['the VMs']);
  });

  it("frees a command's work slot once its answer is queued: later placeholders do not wait for the update window", async () => {
    const c = core(db, { handle: async (r) => answer(`answer to ${r.text}`) });
    let open!: () => void;
    c.port.updateGate = new Promise((r) => (open = r));
    const n = WORK_CONCURRENCY * 2;
    const done = Array.from({ length: n }, (_, i) =>
      c.talk.command({ conversationId: 'ops' }, { ...typed, text: `list vms ${i}` }),
    );
    // Every placeholder is posted while no answer has been shown yet.
    await until('every placeholder', () => (c.port.posted.length === n ? true : undefined));
    expect(c.port.updated).toEqual([]);
    // Not delivered yet: every command is still on record.
    expect(await openCommands(db)).toHaveLength(n);
    open();
    await Promise.all(done);
    expect(c.port.updated).toHaveLength(n);
    expect(await openCommands(db)).toHaveLength(0);
  });

  it("tells a command's sender it is queued when the budget holds it and the ack has no message to repaint", async () => {
    const call = await spentBudget();
    const c = core(db, {
      handle: async () => {
        for (let i = 0; i < 5; i++) await call();
        return answer('the VMs');
      },
    });
    const notes: View[] = [];
    c.port.notify = async (_target, view) => (notes.push(view), true);
    c.port.respond = async (target, view) => (c.port.responded.push({ target, view }), true);
    await c.talk.command({ conversationId: 'ops', responseUrl: 'u1' }, typed, SHOWN_IN_ACK);
    expect(notes.map(titleOf)).toEqual(['Queued']);
    expect(notes[0]).toMatchObject({
      text: expect.stringMatching(
        /^Azure's request budget for this subscription is low, starting in about \d+ s/,
      ),
    });
    expect(c.port.responded.map((r) => titleOf(r.view))).toEqual(['the VMs']);
    expect(c.port.posted).toEqual([]);
  });

  it("answers a command shown in the ack through the port's respond, and posts it when respond is refused", async () => {
    const c = core(db, { handle: async () => answer('the VMs') });
    let accept = true;
    c.port.respond = async (target, view) => {
      if (!accept) return false;
      c.port.responded.push({ target, view });
      return true;
    };
    await c.talk.command({ conversationId: 'ops', responseUrl: 'u1' }, typed, SHOWN_IN_ACK);
    expect(c.port.responded).toEqual([
      {
        target: { conversationId: 'ops', responseUrl: 'u1' },
        view: expect.objectContaining({ title: 'the VMs' }),
      },
    ]);
    expect(c.port.posted).toEqual([]);
    accept = false;
    await c.talk.command({ conversationId: 'ops', responseUrl: 'u1' }, typed, SHOWN_IN_ACK);
    expect(c.port.posted.map((p) => titleOf(p.view))).toEqual(['the VMs']);
    expect(c.port.updated).toEqual([]);
    expect(await openCommands(db)).toHaveLength(0);
  });

  it('posts the answer as a new message when the update window has no room soon, retiring the placeholder at progress priority', async () => {
    const c = core(db, { handle: async () => answer('the VMs') });
    c.port.updateWaitMs = () => 5_000;
    await c.talk.command({ conversationId: 'ops' }, typed);
    expect(c.port.posted.map((p) => titleOf(p.view))).toEqual(['Working on it…', 'the VMs']);
    await until('the placeholder retired', () => (c.port.updated.length === 1 ? true : undefined));
    expect(c.port.updated).toEqual([
      { key: 'm1', view: expect.objectContaining({ title: 'Answered below' }), priority: 'progress' },
    ]);
    expect(await openCommands(db)).toHaveLength(0);
    // With room in the window, the answer replaces its placeholder.
    c.port.updateWaitMs = () => 0;
    await c.talk.command({ conversationId: 'ops' }, typed);
    expect(c.port.updated.at(-1)).toEqual({
      key: 'm3',
      view: expect.objectContaining({ title: 'the VMs' }),
      priority: 'answer',
    });
  });

  it("shows a watched job's new state as its card on the watched message, at progress priority, keeping the watch's extras", async () => {
    const c = core(db, { handle: never });
    const job: BackupJob = {
      id: 'j1',
      vaultName: 'rsv',
      vmName: 'myVM',
      operation: 'Backup',
      status: 'Completed',
      azureStatus: 'Completed',
      errors: [],
    };
    const watch = {
      jobId: 'j1',
      vaultName: 'rsv',
      resourceGroup: 'rg-other',
      platform: 'web',
      messageRef: { key: 'm7', messageId: 'm7' },
      extras: { retainUntil: '2027-01-01', consistency: 'ApplicationConsistent' },
      fingerprint: '',
      createdAt: '2026-12-01T00:00:00.000Z',
    };
    await c.conversations.sink('web')(watch, job, new Date('2026-12-01T01:00:00Z'));
    expect(c.port.updated).toEqual([
      {
        key: 'm7',
        view: {
          kind: 'job',
          job,
          resourceGroup: 'rg-other',
          asOf: '2026-12-01T01:00:00.000Z',
          retainUntil: '2027-01-01',
          consistency: 'ApplicationConsistent',
        },
        priority: 'progress',
      },
    ]);
  });
});
