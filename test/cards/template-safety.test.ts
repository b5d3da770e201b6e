import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { executeActions, visibleText } from './card-actions.js';
import { schemaErrors } from './card-schema.js';
import { EZ_WINDOWS, OPEN_APPROVAL, TEMPLATE_LOOKALIKES, VAULT, job, jobView } from './fixtures.js';

/**
 * Names and messages come from users and from Azure. The templating engine evaluates expressions
 * in the template only; these tests hold it to that, wherever such text lands.
 */
describe.each(TEMPLATE_LOOKALIKES)('text that looks like template syntax: %s', (evil) => {
  it('is shown literally on a job card, a VM list and its buttons', () => {
    const jobCard = renderAdaptiveCard(
      jobView({
        ...job('Failed', 'Failed'),
        vmName: evil,
        errors: [{ code: evil, message: evil, recommendations: [evil] }],
      }),
    );
    expect(schemaErrors(jobCard)).toEqual([]);
    expect(visibleText(jobCard)).toContain(`Backup job · ${evil}`);
    expect(visibleText(jobCard)).toContain(`Fix: ${evil}`);

    const vms = renderAdaptiveCard({ kind: 'vm-list', vault: VAULT, vms: [{ ...EZ_WINDOWS, name: evil }] });
    expect(schemaErrors(vms)).toEqual([]);
    expect(executeActions(vms)).toEqual([{ verb: 'backup.now', title: 'Back up now', data: { vm: evil } }]);
  });

  it('is shown literally on error and approval cards, and travels literally in button data', () => {
    const error = renderAdaptiveCard({
      kind: 'error',
      title: evil,
      code: evil,
      message: evil,
      hint: evil,
      suggestions: [evil],
    });
    expect(schemaErrors(error)).toEqual([]);
    expect(visibleText(error).split('\n')).toEqual([`⚠️ ${evil}`, evil, evil, `Code: ${evil}`, evil]);
    expect(executeActions(error)).toEqual([{ verb: 'command.run', title: evil, data: { text: evil } }]);

    const approval = renderAdaptiveCard({
      ...OPEN_APPROVAL,
      id: evil,
      target: evil,
      confirmName: evil,
      consequences: [evil],
    });
    expect(schemaErrors(approval)).toEqual([]);
    expect(visibleText(approval)).toContain(`• ${evil}`);
    expect(visibleText(approval)).toContain(`Type ${evil} to approve`);
    expect(executeActions(approval).map((a) => a.data)).toEqual([
      { approvalId: evil },
      { approvalId: evil },
      { approvalId: evil },
    ]);
  });

  it('is shown literally in a message’s action data', () => {
    const card = renderAdaptiveCard({
      kind: 'message',
      tone: 'info',
      title: evil,
      text: evil,
      actions: [{ verb: 'command.run', title: evil, data: { text: evil } }],
    });
    expect(executeActions(card)).toEqual([{ verb: 'command.run', title: evil, data: { text: evil } }]);
  });
});
