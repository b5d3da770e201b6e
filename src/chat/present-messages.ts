import type { VaultTarget } from '../azure/backup-service.js';
import { targetWords } from './vault-target.js';
import type { MessageView } from '../cards/views.js';
import type { Clarification } from './command-outcome.js';

/** The words of the message cards some outcomes show (the question, a confirmation, a deletion). */

/** Which reading was meant: a button for each safe one; destructive ones as words to type. */
export function presentClarification({ question, choices, typed }: Clarification): MessageView {
  const destructive = typed.length
    ? ` ${typed.length === 1 ? 'This one is' : 'These are'} never guessed; type ${typed.map((t) => `"${t}"`).join(' or ')} to ask for it (it needs an approval).`
    : '';
  return {
    kind: 'message',
    tone: 'info',
    title: 'Which did you mean?',
    text: `${question}${destructive}`,
    actions: choices.map((c) => ({ verb: 'command.run', title: c.text, data: { text: c.text } })),
  };
}

/** Stop backup's first step: what stopping keeps, and the button that confirms it. */
/** `target`: the vault and subscription the command named, said again by the confirm button. */
export function presentStopUnconfirmed(vm: string, target?: VaultTarget): MessageView {
  return {
    kind: 'message',
    tone: 'warning',
    title: `Stop backup of ${vm}?`,
    text: `Scheduled backups of ${vm} stop. Its recovery points are kept (and billed) until you delete them; backup can be resumed with "enable backup for ${vm}".`,
    actions: [
      {
        verb: 'command.run',
        title: `Stop backup of ${vm}`,
        data: { text: `stop backup for ${vm} confirm${targetWords(target)}` },
        style: 'destructive',
      },
    ],
  };
}

export function presentGroupDeleted(name: string): MessageView {
  return {
    kind: 'message',
    tone: 'success',
    title: 'Resource group deleted',
    text: `Resource group ${name} was deleted.`,
  };
}
