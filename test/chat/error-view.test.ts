import { describe, expect, it } from 'vitest';
import { toErrorView } from '../../src/chat/error-view.js';
import { AppError, command, fact, template } from '../../src/domain/index.js';

describe('error view', () => {
  it('says the suggestions in words and turns commands into buttons', () => {
    const view = toErrorView(
      new AppError('validation.vm_not_protected', 'myVM is not backed up in vault v yet.', {
        suggestions: [command('enable backup for myVM'), template('create vault <name> in westus')],
      }),
    );
    expect(view.hint).toBe('Try "enable backup for myVM". create vault <name> in westus');
    expect(view.suggestions).toEqual(['enable backup for myVM']);
  });

  it('keeps a quiet command to a button when a fact already says it', () => {
    const view = toErrorView(
      new AppError('azure.UserErrorBackupOperationInProgress', 'busy', {
        suggestions: [
          fact('wait-for-snapshot', { jobId: 'j-1' }),
          { kind: 'command', text: 'job j-1', quiet: true },
        ],
      }),
    );
    expect(view.hint).toBe('Follow it with "job j-1" and back up again once its snapshot is done.');
    expect(view.suggestions).toEqual(['job j-1']);
  });

  it('names near matches, lists all choices, and points at settings', () => {
    const hint = (s: ConstructorParameters<typeof AppError>[2]) =>
      toErrorView(new AppError('validation.x', 'm', s)).hint;
    expect(hint({ suggestions: [{ kind: 'choose', what: 'vm', names: ['myVM'], near: true }] })).toBe(
      'Did you mean myVM?',
    );
    expect(hint({ suggestions: [{ kind: 'choose', what: 'policy', names: ['A', 'B'], near: false }] })).toBe(
      'Policies there: A, B.',
    );
    expect(hint({ suggestions: [{ kind: 'setting', name: 'RESTORE_SUBNET' }] })).toBe(
      'Check RESTORE_SUBNET.',
    );
    expect(
      hint({ suggestions: [fact('install-agent', { os: 'Windows', minimum: '2.6.1198.718' })] }),
    ).toMatch(/2\.6\.1198\.718 or later/);
    expect(hint({})).toBeUndefined();
  });

  it('prefers the words chat itself wrote, and never shows an unknown failure', () => {
    expect(toErrorView(new AppError('validation.x', 'm', { hint: 'Say it so.' })).hint).toBe('Say it so.');
    expect(toErrorView(new Error('secret stack')).message).not.toMatch(/secret/);
  });
});
