import { AppError } from '../domain/index.js';
import type { Command } from './command.js';
import { didYouMean } from './did-you-mean.js';
import { normalizeText } from './normalize-text.js';

const GENERAL_SUGGESTIONS = ['help', 'list vms', 'status of jobs'];

/**
 * Typed text → the command it is and its arguments. Throws AppError: the command's own argument
 * error, or `validation.unknown_command` with "did you mean" suggestions.
 */
export function interpretText(
  raw: string,
  commands: readonly Command[],
  now: Date,
): { command: Command; args: unknown } {
  const text = normalizeText(raw);
  if (!text) {
    const help = commands.find((c) => c.id === 'help');
    if (help) return { command: help, args: {} };
  }
  for (const command of commands) {
    const args = command.parse(text, now);
    if (args !== undefined) return { command, args };
  }
  const suggestions = didYouMean(text, commands, now);
  throw new AppError('validation.unknown_command', `I don't know how to "${text.slice(0, 80)}".`, {
    hint: suggestions.length > 0 ? 'Did you mean one of these?' : 'Type "help" to see what I can do.',
    details: { suggestions: suggestions.length > 0 ? suggestions : GENERAL_SUGGESTIONS },
  });
}
