import { mkdtempSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import type { Conversations } from '../../src/conversation/conversation.js';
import { WebChat } from '../../src/channels/web/web-chat.js';
import type { RunningServer } from '../../src/http/http-server.js';
import { startHttpServer } from '../../src/http/http-server.js';
import { openDatabase } from '../../src/store/open-database.js';
import { WebMessageStore } from '../../src/store/web-message-store.js';

/** The web chat's JSON API (what the page calls), on the real bot: approvals through card buttons. */
let bot: RunningBot;
interface Message {
  id: string;
  author: string;
  card?: unknown;
}

async function api(path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${bot.url}/web/api${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function cardOf(id: string, predicate: (card: string) => boolean): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = (await api('/history?room=ops')).json.messages as Message[];
    const card = JSON.stringify(messages.find((m) => m.id === id)?.card ?? '');
    if (predicate(card)) return card;
    if (Date.now() > deadline)
      throw new Error(
        `card never matched: ${card.slice(0, 300)} / ${JSON.stringify(messages.slice(-2)).slice(-700)}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  bot = await startBot(
    loadConfig({
      PORT: '0',
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'web-')), 'bot.db'),
      SANDBOX_CLOCK_SPEED: '0',
    }),
    silentLogger,
  );
});
afterAll(() => bot?.stop());

describe('web chat API', () => {
  it('refuses a user who is not one of the picker’s users', async () => {
    const r = await api('/messages', { userId: 'web:mallory', text: 'list vms' });
    expect(r.status).toBe(403);
  });

  it('refuses a malformed body and an unknown room name with 400', async () => {
    expect((await api('/messages', { userId: 'web:alice', text: 42 })).status).toBe(400);
    expect((await api('/messages', { userId: 'web:alice', text: 'help', room: '../etc' })).status).toBe(400);
  });

  it('approves a destructive request with the typed name on the same card, once', async () => {
    const { json } = await api('/messages', {
      userId: 'web:alice',
      text: 'stop backup for myVM and delete data',
    });
    const cardId = json.messageId as string;
    const card = await cardOf(cardId, (c) => /confirmName/.test(c));
    const approvalId = /"approvalId":"([0-9a-f]+)"/.exec(card)![1]!;
    // Bob is an operator and an approver in the sandbox's picker; Alice asked and may not decide.
    const action = (userId: string) =>
      api('/actions', {
        userId,
        messageId: cardId,
        verb: 'approval.approve',
        data: { approvalId, confirmName: 'myVM' },
      });
    expect((await action('web:alice')).status).toBe(202);
    // The refusal comes in a new message; the request card stays open for an approver.
    const refusal = async () =>
      ((await api('/history?room=ops')).json.messages as Message[]).some((m) =>
        /approver role/.test(JSON.stringify(m.card ?? '')),
      );
    for (let i = 0; i < 200 && !(await refusal()); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await refusal()).toBe(true);
    expect(await cardOf(cardId, () => true)).toMatch(/confirmName/);
    expect((await action('web:bob')).status).toBe(202);
    const done = await cardOf(cardId, (c) => /Approved and done/.test(c));
    expect(done).toMatch(/Bob/);
    expect(done).not.toMatch(/"Action.Execute"/);
    expect(bot.sandbox!.world.jobs.filter((j) => j.operation === 'DeleteBackupData')).toHaveLength(1);
  });
});

describe('web chat: an approved replace disks', () => {
  let own: RunningBot;
  beforeAll(async () => {
    own = await startBot(
      loadConfig({
        PORT: '0',
        DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'web-restore-')), 'bot.db'),
        SANDBOX_CLOCK_SPEED: '0',
        WATCH_INTERVAL_MS: '50',
      }),
      silentLogger,
    );
  });
  afterAll(() => own?.stop());

  it('returns the approver’s click at once, then follows the restore job on the approval card to its end', async () => {
    const call = async (path: string, body?: unknown) =>
      (await fetch(`${own.url}/web/api${path}`, {
        method: body ? 'POST' : 'GET',
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      }).then((r) => r.json())) as Record<string, unknown>;
    const card = async (id: string, predicate: (c: string) => boolean, what: string): Promise<string> => {
      for (let i = 0; i < 400; i++) {
        const messages = (await call('/history?room=ops')).messages as Message[];
        const c = JSON.stringify(messages.find((m) => m.id === id)?.card ?? '');
        if (predicate(c)) return c;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`the card never showed ${what}`);
    };
    const asked = await call('/messages', {
      userId: 'web:alice',
      text: 'restore myVM from latest replace disks',
    });
    const cardId = asked.messageId as string;
    const request = await card(cardId, (c) => /confirmName/.test(c), 'the request');
    const approvalId = /"approvalId":"([0-9a-f]+)"/.exec(request)![1]!;
    await call('/actions', {
      userId: 'web:bob',
      messageId: cardId,
      verb: 'approval.approve',
      data: { approvalId, confirmName: 'myVM' },
    });
    // The approval card becomes the restore's live job card: its phases, then its end.
    const running = await card(cardId, (c) => /Restore job · myVM/.test(c), 'the restore job');
    expect(running).toMatch(/In progress/);
    own.sandbox!.clock.advance(30 * 60_000);
    const done = await card(
      cardId,
      (c) => /Restore job · myVM/.test(c) && /✅/.test(c),
      'the end of the restore',
    );
    expect(done).toMatch(/Completed/);
    const restores = own.sandbox!.world.jobs.filter((j) => j.restore?.kind === 'OriginalLocation');
    expect(restores).toHaveLength(1);
    expect(done).toContain(restores[0]!.id);
  });
});

describe('operations endpoints', () => {
  it('serves /healthz, /readyz and Prometheus /metrics with Azure calls, commands, approvals and watches', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    // myVM's backup data was deleted by the approval above: protect another VM, then back it up.
    await api('/messages', { userId: 'web:alice', text: 'enable backup for ez-linux-01' });
    for (
      let i = 0;
      i < 200 &&
      !bot.sandbox!.world.jobs.some((j) => j.operation === 'ConfigureBackup' && j.vmName === 'ez-linux-01');
      i++
    ) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await api('/messages', { userId: 'web:alice', text: 'backup ez-linux-01 now' });
    const deadline = Date.now() + 5000;
    let text = '';
    while (Date.now() < deadline) {
      text = await (await fetch(`${bot.url}/metrics`)).text();
      if (/backup_chatops_watched_jobs 1/.test(text)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(text).toMatch(/backup_chatops_azure_requests_total\{operation="POST backup",status="202"\} 1/);
    expect(text).toMatch(
      /backup_chatops_azure_requests_total\{operation="GET virtualMachines",status="200"\} \d+/,
    );
    expect(text).toMatch(/backup_chatops_commands_total\{command="backup.now",outcome="ok"\} 1/);
    expect(text).toMatch(/backup_chatops_approvals\{state="executed"\} 1/);
    expect(text).toMatch(/backup_chatops_watched_jobs 1/);
    expect(text).toMatch(/backup_chatops_chat_messages_total\{platform="web",kind="post"\} \d+/);
    expect(text).toMatch(/backup_chatops_process_resident_memory_bytes \d+/);
  });
});

/** A request with exactly these headers (a browser's, from wherever its page came from). */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) =>
      resolve({ status: res.statusCode ?? 0, res }),
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function historyOf(room: string): Promise<Message[]> {
  return (await api(`/history?room=${room}`)).json.messages as Message[];
}

describe('web chat: cross-site requests', () => {
  const typed = JSON.stringify({ room: 'xsite', userId: 'web:alice', text: 'stop backup for myVM confirm' });
  const host = () => new URL(bot.url).host;

  it('refuses a page on another origin that makes the browser post a command as Alice', async () => {
    const cases: Record<string, Record<string, string>> = {
      'another local origin': {
        host: host(),
        origin: 'http://localhost:8080',
        'content-type': 'application/json',
      },
      'a cross-site fetch': {
        host: host(),
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/json',
      },
      'another port of localhost (same-site)': {
        host: host(),
        'sec-fetch-site': 'same-site',
        'content-type': 'application/json',
      },
      'an opaque origin': { host: host(), origin: 'null', 'content-type': 'application/json' },
      'a site whose name resolves to 127.0.0.1': {
        host: `attacker.example:${new URL(bot.url).port}`,
        origin: `http://attacker.example:${new URL(bot.url).port}`,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json',
      },
    };
    for (const [what, headers] of Object.entries(cases)) {
      expect((await raw(bot.url, 'POST', '/web/api/messages', headers, typed)).status, what).toBe(403);
    }
    // A form or a no-cors fetch can send text/plain without a preflight: only JSON is read.
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const r = await raw(
        bot.url,
        'POST',
        '/web/api/messages',
        { host: host(), 'content-type': type },
        typed,
      );
      expect(r.status, type).toBe(415);
    }
    expect(await historyOf('xsite')).toEqual([]);
  });

  it('serves its own page’s requests (same origin, JSON)', async () => {
    const r = await raw(
      bot.url,
      'POST',
      '/web/api/messages',
      {
        host: host(),
        origin: `http://${host()}`,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json; charset=utf-8',
      },
      JSON.stringify({ room: 'xsite', userId: 'web:carol', text: 'help' }),
    );
    expect(r.status).toBe(202);
    expect((await historyOf('xsite')).length).toBeGreaterThan(0);
  });
});

describe('web chat: a pressed button replaces only its own card', () => {
  it('answers a button from another room, or one the card does not carry, in a new message', async () => {
    const { json } = await api('/messages', { userId: 'web:alice', text: 'delete resource group rg-eastus' });
    const cardId = json.messageId as string;
    const request = await cardOf(cardId, (c) => /confirmName/.test(c));
    const job = bot.sandbox!.world.jobs.at(-1);
    expect(job).toBeDefined();
    const refresh = (room: string) =>
      api('/actions', {
        room,
        userId: 'web:carol',
        messageId: cardId,
        verb: 'job.refresh',
        data: { jobId: job!.id },
      });
    // From another room, and from this room on a card that has no such button.
    const other = await refresh('other-room');
    const same = await refresh('ops');
    expect(other.json.messageId).not.toBe(cardId);
    expect(same.json.messageId).not.toBe(cardId);
    const answered = async (room: string, id: string) => {
      for (let i = 0; i < 400; i++) {
        const m = (await historyOf(room)).find((x) => x.id === id);
        if (JSON.stringify(m?.card ?? '').includes(job!.id)) return true;
        await new Promise((r) => setTimeout(r, 25));
      }
      return false;
    };
    expect(await answered('other-room', other.json.messageId as string)).toBe(true);
    expect(await answered('ops', same.json.messageId as string)).toBe(true);
    // The pending approval card is as it was.
    expect(await cardOf(cardId, () => true)).toBe(request);
  });
});

describe('web chat: server-sent event streams are capped', () => {
  let server: RunningServer;
  const open: IncomingMessage[] = [];

  beforeAll(async () => {
    const db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'web-sse-')), 'bot.db'));
    const web = new WebChat({
      // Streams only: no command is sent, so the conversation core is never reached.
      conversations: { attach: () => ({}) } as unknown as Conversations,
      messages: new WebMessageStore(db),
      users: [{ id: 'web:alice', name: 'Alice' }],
      renderCard: () => ({}),
      maxStreamsPerRoom: 3,
      maxStreams: 5,
    });
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      handlers: [web.routes],
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    for (const res of open) res.destroy();
    await server?.close();
  });

  const stream = async (room: string): Promise<number> => {
    const { status, res } = await raw(server.url, 'GET', `/web/api/events?room=${room}`, {
      host: new URL(server.url).host,
    });
    if (status === 200) open.push(res);
    else res.resume();
    return status;
  };

  it('answers 503 past the cap per room and in all, and takes new streams once others close', async () => {
    expect([await stream('a'), await stream('a'), await stream('a')]).toEqual([200, 200, 200]);
    expect(await stream('a')).toBe(503);
    expect([await stream('b'), await stream('b')]).toEqual([200, 200]);
    expect(await stream('c')).toBe(503);
    open.shift()!.destroy();
    let status = 503;
    for (let i = 0; i < 200 && status === 503; i++) {
      await new Promise((r) => setTimeout(r, 10));
      status = await stream('c');
    }
    expect(status).toBe(200);
  });
});
