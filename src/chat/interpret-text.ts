import { AppError } from '../domain/index.js';
import { findAmbiguity } from './ambiguity.js';
import type { Command } from './command.js';
import { clarifyCommand } from './commands/clarify.js';
import { didYouMean } from './did-you-mean.js';
import { normalizeText } from './normalize-text.js';
import { toCommandForm } from './phrases/sentence-forms.js';
import { parseDeclared } from './parse-declared.js';

const GENERAL_SUGGESTIONS = ['help', 'list vms', 'status of jobs'];

/**
 * Typed text → the command it is and its arguments: mentions and filler dropped, questions turned
 * into commands, then each command's declared grammar in turn. Text no command reads gets "did
 * you mean" (a misspelt command word), else a question when it could mean several things (the
 * `clarify` command), else `validation.unknown_command` with general suggestions. Throws AppError
 * also for a recognised command's bad arguments.
 */
export function interpretText(
  raw: string,
  commands: readonly Command[],
  now: Date,
): { command: Command; args: unknown } {
  const text = toCommandForm(normalizeText(raw));
  if (!text) {
    const help = commands.find((c) => c.id === 'help');
    if (help) return { command: help, args: {} };
  }
  for (const command of commands) {
    const args = parseDeclared(command, text, now);
    if (args !== undefined) return { command, args };
  }
  const { suggestions, destructive } = didYouMean(text, commands, now);
  if (suggestions.length === 0 && destructive.length === 0) {
    const clarification = findAmbiguity(text, commands, now);
    if (clarification) return { command: clarifyCommand, args: clarification };
  }
  const typeIt =
    destructive.length > 0
      ? ` Destructive commands are never guessed: to ask for one, type it in full, as "${destructive[0]}".`
      : '';
  throw new AppError('validation.unknown_command', `I don't know how to "${text.slice(0, 80)}".`, {
    hint: `${suggestions.length > 0 ? 'Did you mean one of these?' : 'Type "help" to see what I can do.'}${typeIt}`,
    details: { suggestions: suggestions.length > 0 ? suggestions : GENERAL_SUGGESTIONS },
  });
}
