import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { escapeCardMarkdown } from '../../src/cards/card-markdown.js';
import { renderBlockKit } from '../../src/channels/slack/block-kit-renderer.js';
import { loadConfig } from '../../src/config.js';
import { workingView } from '../../src/conversation/working-view.js';
import { silentLogger } from '../../src/logger.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import { elementsOfType } from '../cards/card-actions.js';
import { until } from '../support/until.js';

/**
 * Text people type is shown as text: never as a link, bold, a list or a mention, in the cards of
 * Teams and the web chat (Adaptive Card TextBlocks render Markdown) nor in Slack's mrkdwn.
 */
const PHISHING = '[Verify your account](https://evil.example/login)';

/** Every TextBlock and fact text of a card, one string per text. */
function shownTexts(card: unknown): string[] {
  return [
    ...elementsOfType(card, 'TextBlock').map((b) => String(b.text)),
    ...elementsOfType(card, 'FactSet').flatMap((s) =>
      (s.facts as { title: string; value: string }[]).flatMap((f) => [f.title, f.value]),
    ),
  ];
}

/** A Markdown link whose brackets are not escaped. */
const LIVE_LINK = /(^|[^\\])\[[^\]]*[^\\]\]\(/;

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot(
    loadConfig({
      PORT: '0',
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'card-injection-')), 'bot.db'),
      SANDBOX_CLOCK_SPEED: '0',
    }),
    silentLogger,
  );
});
afterAll(() => bot?.stop());

describe('card text injection', () => {
  it('shows a typed Markdown link literally in the web chat’s "Working on it…" and error cards', async () => {
    const res = await fetch(`${bot.url}/web/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'web:alice', room: 'ops', text: PHISHING }),
    });
    const { messageId } = (await res.json()) as { messageId: string };
    // The placeholder as posted, then the unknown-command answer that replaced it, both as stored.
    const cards = await until('the answer', async () => {
      const r = await fetch(`${bot.url}/web/api/history?room=ops`);
      const { messages } = (await r.json()) as { messages: { id: string; card?: unknown }[] };
      const answer = messages.find((m) => m.id === messageId)?.card;
      return answer && !/Working on it/.test(JSON.stringify(answer)) ? answer : undefined;
    });
    const working = renderAdaptiveCard(workingView(PHISHING));
    for (const card of [working, cards]) {
      const texts = shownTexts(card);
      expect(texts.some((t) => t.includes('\\[Verify your account\\](https://evil.example/login)'))).toBe(
        true,
      );
      expect(texts.filter((t) => LIVE_LINK.test(t))).toEqual([]);
    }
  });

  it.each([
    ['**bold**', '\\*\\*bold\\*\\*'],
    ['_x_', '\\_x\\_'],
    ['<at>Bob</at>', '\\<at\\>Bob\\</at\\>'],
    ['list vms\n- rm everything', 'list vms\n\\- rm everything'],
    ['1. first', '1\\. first'],
    ['C:\\temp\\[x]', 'C:\\\\temp\\\\\\[x\\]'],
    ['&lt;at&gt;', '\\&lt;at\\&gt;'],
    ['# heading', '\\# heading'],
    ['backup vm_01 now', 'backup vm_01 now'],
  ])('escapes %j for the TextBlock Markdown subset', (typed, shown) => {
    expect(escapeCardMarkdown(typed)).toBe(shown);
    expect(shownTexts(renderAdaptiveCard(workingView(typed)))).toContain(shown.trim());
  });

  it('escapes the suggestions and echo of an unknown command, and leaves button data as the bot wrote it', () => {
    const card = renderAdaptiveCard({
      kind: 'error',
      title: 'I didn’t understand that',
      code: 'validation.unknown_command',
      message: `I don't know how to "${PHISHING}".`,
      suggestions: ['**list vms**'],
    });
    expect(shownTexts(card).filter((t) => LIVE_LINK.test(t) || t.includes('**'))).toEqual([]);
    const approval = renderAdaptiveCard({
      kind: 'approval',
      id: 'abcd1234',
      state: 'requested',
      action: 'Delete resource group',
      target: 'rg_[x](y)',
      requestedBy: '**Mallory**',
      requestedAt: '2026-01-01T00:00:00Z',
      expiresAt: '2026-01-01T01:00:00Z',
      consequences: ['[click](https://evil.example)'],
      confirmName: 'rg_[x](y)',
    });
    expect(shownTexts(approval).filter((t) => LIVE_LINK.test(t) || t.includes('**'))).toEqual([]);
    expect(JSON.stringify(approval)).toContain('"approvalId":"abcd1234"');
  });

  it('escapes Slack mrkdwn control characters, so typed mentions and links stay text', () => {
    const message = renderBlockKit(workingView('<!channel> <@U0BOSS> <https://evil.example|login> & co'));
    const all = JSON.stringify(message);
    expect(all).toContain('&lt;!channel&gt; &lt;@U0BOSS&gt; &lt;https://evil.example|login&gt; &amp; co');
    expect(all).not.toMatch(/<!channel>|<@U0BOSS>|<https:/);
  });
});
