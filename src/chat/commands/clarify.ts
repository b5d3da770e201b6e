import type { Clarification } from '../command-outcome.js';
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
  async execute(clarification) {
    return { kind: 'clarification', clarification };
  },
});
