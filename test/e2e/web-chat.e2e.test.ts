import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotProcess } from '../support/bot-process.js';
import { startBotProcess } from '../support/bot-process.js';
import { until } from '../support/until.js';
import { launchChromium, requireChromiumOrExplain } from '../support/chromium.js';

const run = requireChromiumOrExplain(Boolean(process.env.CI));
const SCREENSHOTS = join(import.meta.dirname, '../../test-results');

/**
 * A newcomer's first minute, end to end: the real bot process on the sandbox, the web chat page in
 * headless Chromium, "backup myVM now" typed, and the job card updating itself through both phases.
 */
describe.runIf(run)('web chat in a browser', () => {
  let bot: BotProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    bot = await startBotProcess();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${bot.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
  }); // the timing project's hook timeout: starting processes on a loaded machine

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
  });

  async function send(text: string): Promise<void> {
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
  }

  /** The text of the last bot card, once it satisfies `predicate`. */
  async function lastCard(predicate: (text: string) => boolean, what: string): Promise<string> {
    let text = '';
    try {
      // Waits while the card keeps changing (a slow machine), fails once it stays the same for 30 s.
      return await until(
        `the last card showing ${what}`,
        async () => {
          text =
            (await page
              .locator('.message.bot')
              .last()
              .innerText()
              .catch(() => '')) ?? '';
          return predicate(text) ? text : undefined;
        },
        { timeoutMs: 30_000, maxMs: 180_000, progress: () => text },
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; it shows:\n${text}`);
    }
  }

  it('offers the sandbox users in the who-am-I picker', async () => {
    const options = await page.locator('#who option').allInnerTexts();
    expect(options).toEqual(['Alice (operator)', 'Bob (approver)', 'Carol (reader)']);
  });

  it('backs up myVM and updates the card through both phases to Completed', async () => {
    await send('backup myVM now');
    const started = await lastCard(
      (t) => /Take Snapshot/.test(t) && /In progress/i.test(t),
      'the snapshot in progress',
    );
    expect(started).toMatch(/myVM/);
    expect(started).toMatch(/Transfer data to vault/);

    await bot.advanceClock(8);
    const transferring = await lastCard(
      (t) => /Transfer data to vault/.test(t) && /8 min/.test(t),
      'the transfer running after an 8-minute snapshot',
    );
    expect(transferring).not.toMatch(/Completed with warning/);

    await bot.advanceClock(35);
    const done = await lastCard(
      (t) => /\bCompleted\b/.test(t) && !/In progress/i.test(t),
      'the job completed',
    );
    expect(done).toMatch(/Take Snapshot/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'web-chat-backup-completed.png'), fullPage: true });
  });

  it('shows a typed Markdown link as the characters typed, never as a link', async () => {
    const typed = '[Verify your account](https://evil.example/login) **now**';
    await send(typed);
    const card = await lastCard(
      (t) => /I don.t know how to/.test(t) || /didn.t understand/i.test(t),
      'the answer',
    );
    expect(card).toContain(typed);
    expect(await page.locator('.message.bot a[href*="evil.example"]').count()).toBe(0);
  });

  it('answers a misspelt command with a did-you-mean button that works', async () => {
    await send('lsit vms');
    await lastCard((t) => /list vms/.test(t), 'the suggestion');
    await page.locator('.message.bot').last().getByRole('button', { name: 'list vms' }).click();
    const list = await lastCard((t) => /db-eastus-01/.test(t), 'the VM list');
    expect(list).toMatch(/losangeles/);
  });

  it('keeps the conversation across a reload', async () => {
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('.message.user').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('backup myVM now')]),
    );
  });

  it('restores myVM as a new VM from the restore card, the job card following it to the new VM', async () => {
    await send('restore myVM');
    const options = await lastCard(
      (t) => /Restore myVM/.test(t) && /recovery point/.test(t),
      'the restore card',
    );
    expect(options).toMatch(/newest first/);
    expect(options).toMatch(/Replace disks/);
    await page
      .locator('.message.bot')
      .last()
      .getByRole('button', { name: /^New VM myVM-restored/ })
      .click();
    const running = await lastCard(
      (t) => /Restore job · myVM/.test(t) && /Create the restored virtual machine/.test(t),
      'the restore job card',
    );
    expect(running).toMatch(/Transfer data from vault/);
    expect(running).toMatch(/Creates VM myVM-restored/);

    await bot.advanceClock(3);
    await lastCard(
      (t) => /Created VM myVM-restored in resource group rg-workloads/.test(t) && !/In progress/i.test(t),
      'the restore completed',
    );
    await send('list vms');
    await lastCard((t) => /myVM-restored/.test(t), 'the restored VM in the list');
  });

  it('tells a reader that backing up needs the operator role', async () => {
    await page.selectOption('#who', 'web:carol');
    await send('backup myVM now');
    await lastCard((t) => /operator role/.test(t), 'the role refusal');
  });
});
