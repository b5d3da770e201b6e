import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { elementsOfType, executeActions, executeVerbs, visibleText } from './card-actions.js';
import { schemaErrors } from './card-schema.js';
import { DECIDED_APPROVALS, OPEN_APPROVAL, UNKNOWN_COMMAND } from './fixtures.js';

describe('approval card', () => {
  it('says who asked, what happens, what is lost and until when', () => {
    const text = visibleText(renderAdaptiveCard(OPEN_APPROVAL));
    expect(text).toContain('🔐 Approval needed: Stop backup and delete data');
    expect(text).toContain('myVM (vault rsv-westus)');
    expect(text).toContain('Alice, 2026-11-22 10:00 UTC');
    expect(text).toContain('2026-11-22 11:00 UTC');
    for (const c of OPEN_APPROVAL.consequences) expect(text).toContain(`• ${c}`);
  });

  it('while requested: asks for the typed name and offers Approve (destructive), Reject and Cancel with the request id', () => {
    const card = renderAdaptiveCard(OPEN_APPROVAL);
    expect(elementsOfType(card, 'Input.Text')).toEqual([
      expect.objectContaining({
        id: 'confirmName',
        label: 'Type myVM to approve',
        placeholder: 'Type the name to confirm',
        isRequired: true,
      }),
    ]);
    expect(executeActions(card)).toEqual([
      { verb: 'approval.approve', title: 'Approve', data: { approvalId: 'apr-7c41' } },
      { verb: 'approval.reject', title: 'Reject', data: { approvalId: 'apr-7c41' } },
      { verb: 'approval.cancel', title: 'Cancel request', data: { approvalId: 'apr-7c41' } },
    ]);
    const [approve, reject, cancel] = card.actions!;
    expect(approve!.style).toBe('destructive');
    // Approving sends the typed name; rejecting and cancelling need none.
    expect(approve!.associatedInputs).toBe('auto');
    expect(reject!.associatedInputs).toBe('none');
    expect(cancel!.associatedInputs).toBe('none');
  });

  it.each(DECIDED_APPROVALS.map((v) => [v.state, v] as const))(
    'once %s: no input and no buttons, and the decision is on the card',
    (_state, view) => {
      const card = renderAdaptiveCard(view);
      expect(schemaErrors(card)).toEqual([]);
      expect(elementsOfType(card, 'Input.Text')).toEqual([]);
      expect(executeActions(card)).toEqual([]);
      const text = visibleText(card);
      if (view.decidedBy) expect(text).toContain(`${view.decidedBy}, ${view.decidedAt!.slice(0, 10)}`);
      if (view.outcome) expect(text).toContain(view.outcome);
    },
  );

  it('heads the card with its state', () => {
    const heading = (i: number) =>
      String(elementsOfType(renderAdaptiveCard(DECIDED_APPROVALS[i]!), 'TextBlock')[0]!.text);
    expect(DECIDED_APPROVALS.map((_, i) => heading(i).split(':')[0])).toEqual([
      '✅ Approved',
      '⏳ Approved, running',
      '✅ Approved and done',
      '❌ Approved, but it failed',
      '🚫 Rejected',
      '⌛ Expired',
      '🚫 Cancelled',
    ]);
  });
});

describe('error card', () => {
  it('shows title, message and hint, the code small and subtle', () => {
    const card = renderAdaptiveCard(UNKNOWN_COMMAND);
    const blocks = elementsOfType(card, 'TextBlock');
    expect(blocks.map((b) => b.text)).toEqual([
      "⚠️ I didn't understand that",
      'I don\'t know how to "bakup myVM now".',
      'Did you mean one of these?',
      'Code: validation.unknown_command',
    ]);
    expect(blocks[3]).toMatchObject({ size: 'Small', isSubtle: true });
  });

  it('turns each suggestion into a command.run button that runs it', () => {
    expect(executeActions(renderAdaptiveCard(UNKNOWN_COMMAND))).toEqual([
      { verb: 'command.run', title: 'backup myVM now', data: { text: 'backup myVM now' } },
      {
        verb: 'command.run',
        title: 'backup myVM now keep until 2026-12-31',
        data: { text: 'backup myVM now keep until 2026-12-31' },
      },
    ]);
  });

  it('has no hint line and no buttons when there is nothing to suggest', () => {
    const card = renderAdaptiveCard({
      kind: 'error',
      title: 'Not allowed',
      code: 'auth.forbidden',
      message: 'Readers cannot start backups.',
    });
    expect(elementsOfType(card, 'TextBlock')).toHaveLength(3);
    expect(executeActions(card)).toEqual([]);
  });
});

describe('help and message cards', () => {
  it('lists every command with its examples', () => {
    const text = visibleText(
      renderAdaptiveCard({
        kind: 'help',
        role: 'operator',
        commands: [
          { id: 'vms.list', title: 'List VMs', summary: 'VMs and their protection.', examples: ['list vms'] },
          {
            id: 'backup.now',
            title: 'Back up now',
            summary: 'Takes a backup now.',
            examples: ['backup myVM now', 'backup myVM now for 90 days'],
          },
        ],
      }),
    );
    expect(text).toContain('Your role: operator.');
    expect(text).toContain('List VMs');
    expect(text).toContain('“list vms”');
    expect(text).toContain('“backup myVM now”  ·  “backup myVM now for 90 days”');
  });

  it('renders a message’s facts and its actions with their verbs, data and style', () => {
    const card = renderAdaptiveCard({
      kind: 'message',
      tone: 'success',
      title: 'Done',
      text: 'Backup of myVM started.',
      facts: [{ title: 'Job', value: 'j-1' }],
      actions: [
        { verb: 'job.refresh', title: 'Refresh', data: { jobId: 'j-1' } },
        { verb: 'approval.cancel', title: 'Cancel', data: { approvalId: 'a-1' }, style: 'destructive' },
      ],
    });
    expect(elementsOfType(card, 'TextBlock')[0]).toMatchObject({ text: '✅ Done', color: 'Good' });
    expect(executeVerbs(card)).toEqual(['job.refresh', 'approval.cancel']);
    expect(card.actions).toEqual([
      {
        type: 'Action.Execute',
        title: 'Refresh',
        verb: 'job.refresh',
        style: 'default',
        associatedInputs: 'none',
        data: { jobId: 'j-1' },
      },
      {
        type: 'Action.Execute',
        title: 'Cancel',
        verb: 'approval.cancel',
        style: 'destructive',
        associatedInputs: 'none',
        data: { approvalId: 'a-1' },
      },
    ]);
  });

  it('leaves out the fact set of a message without facts', () => {
    const card = renderAdaptiveCard({ kind: 'message', tone: 'info', title: 'Hi', text: 'Nothing to do.' });
    expect(elementsOfType(card, 'FactSet')).toEqual([]);
    expect(schemaErrors(card)).toEqual([]);
  });
});
