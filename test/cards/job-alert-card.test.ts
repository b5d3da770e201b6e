import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { renderBlockKit } from '../../src/channels/slack/block-kit-renderer.js';
import { executeActions, elementsOfType, visibleText } from './card-actions.js';
import { schemaErrors } from './card-schema.js';
import { ALERT_VIEWS, JOB_ID, TEMPLATE_LOOKALIKES } from './fixtures.js';

const [FAILED, WARNING_OTHER_VAULT, NO_DETAILS] = ALERT_VIEWS as [
  (typeof ALERT_VIEWS)[number],
  (typeof ALERT_VIEWS)[number],
  (typeof ALERT_VIEWS)[number],
];

describe('the alert card for a failed scheduled backup', () => {
  it('says which VM and vault, the status in plain words, the failed phase, the error, the times and the next step', () => {
    const text = visibleText(renderAdaptiveCard(FAILED));
    expect(text).toContain('❌ Scheduled backup failed · myVM');
    expect(text).toContain('Failed: no recovery point was made.');
    expect(text).toContain('rsv-westus (rg-chatops)');
    expect(text).toMatch(/Failed phase\nTake Snapshot/);
    expect(text).toContain('UserErrorGuestAgentStatusUnavailable');
    expect(text).toContain('VM Agent unable to communicate with the Azure Backup Service.');
    expect(text).toMatch(/Started\n2026-11-22 10:00 UTC/);
    expect(text).toMatch(/Ended\n2026-11-22 10:08 UTC/);
    expect(text).toContain(`“backup myVM now”`);
    expect(text).toContain(`“job ${JOB_ID}”`);
  });

  it('offers "Back up now" and the job details as buttons for the default vault', () => {
    expect(executeActions(renderAdaptiveCard(FAILED))).toEqual([
      { verb: 'backup.now', title: 'Back up now', data: { vm: 'myVM' } },
      { verb: 'command.run', title: 'Job details', data: { text: `job ${JOB_ID}` } },
    ]);
  });

  it('names the transfer for a completion with warning, and names another vault in its commands', () => {
    const card = renderAdaptiveCard(WARNING_OTHER_VAULT);
    const text = visibleText(card);
    expect(text).toContain('⚠️ Scheduled backup completed with warning · myVM');
    expect(text).toMatch(/Failed phase\nTransfer data to vault/);
    expect(text).toContain('UserErrorTransferFailed');
    const where = ' in vault rg-eastus/rsv-eastus';
    expect(text).toContain(`type “backup myVM now${where}” for a backup now`);
    expect(executeActions(card)).toEqual([
      { verb: 'command.run', title: 'Back up now', data: { text: `backup myVM now${where}` } },
      { verb: 'command.run', title: 'Job details', data: { text: `job ${JOB_ID}${where}` } },
    ]);
    expect(elementsOfType(card, 'Action.OpenUrl')).toHaveLength(1);
  });

  it('says so when the phase and the error are not known', () => {
    const text = visibleText(renderAdaptiveCard(NO_DETAILS));
    expect(text).toContain('Not known (the job details could not be read)');
    expect(text).toContain('Azure gave no error details for this job.');
  });

  it.each(TEMPLATE_LOOKALIKES)(
    'shows a VM name and error that look like template syntax literally: %s',
    (evil) => {
      const view = {
        ...FAILED,
        job: { ...FAILED.job, vmName: evil, errors: [{ code: evil, message: evil, recommendations: [] }] },
      };
      const card = renderAdaptiveCard(view);
      expect(schemaErrors(card)).toEqual([]);
      expect(visibleText(card)).toContain(`Scheduled backup failed · ${evil}`);
      expect(executeActions(card)[0]).toEqual({
        verb: 'backup.now',
        title: 'Back up now',
        data: { vm: evil },
      });
    },
  );

  it('says the same in Block Kit, with the same buttons', () => {
    const m = renderBlockKit(FAILED);
    const all = JSON.stringify(m.blocks);
    expect(m.text).toBe('❌ Scheduled backup failed · myVM');
    for (const words of [
      'Take Snapshot',
      'UserErrorGuestAgentStatusUnavailable',
      'rsv-westus (rg-chatops)',
      'backup myVM now',
    ])
      expect(all).toContain(words);
    const buttons = m.blocks
      .flatMap((b) => (b.elements as Record<string, unknown>[] | undefined) ?? [])
      .filter((e) => e.type === 'button');
    expect(buttons.map((b) => [String(b.action_id).split('#')[0], b.value])).toEqual([
      ['backup.now', JSON.stringify({ vm: 'myVM' })],
      ['command.run', JSON.stringify({ text: `job ${JOB_ID}` })],
    ]);
    expect(JSON.stringify(renderBlockKit(WARNING_OTHER_VAULT).blocks)).not.toContain('backup.now');
  });
});
