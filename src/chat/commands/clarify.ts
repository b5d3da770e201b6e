import type { Clarification } from '../ambiguity.js';
import { defineCommand } from '../command.js';

/**
 * The question asked when text could mean more than one thing (see ambiguity.ts). It is never
 * typed: the interpreter chooses it, so it is not in the command list or help.
 */
export const clarifyCommand = defineCommand<Clarification>({
  id: 'clarify',
  title: 'Which did you mean?',
  summary: 'Asks which command was meant, with a button for each safe reading.',
  examples: [],
  role: 'reader',
  effect: 'read',
  keywords: [],
  usage: '',
  args: [],
  parse: () => undefined,
  async run({ question, choices, typed }) {
    const destructive = typed.length
      ? ` ${typed.length === 1 ? 'This one is' : 'These are'} never guessed; type ${typed.map((t) => `"${t}"`).join(' or ')} to ask for it (it needs an approval).`
      : '';
    return {
      view: {
        kind: 'message',
        tone: 'info',
        title: 'Which did you mean?',
        text: `${question}${destructive}`,
        actions: choices.map((c) => ({ verb: 'command.run', title: c.text, data: { text: c.text } })),
      },
    };
  },
});
