import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';

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
