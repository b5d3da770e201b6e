import type { Command } from './command.js';
import { parseSubscriptionPhrase } from './phrases/subscription-phrase.js';

/**
 * The command's own parse, after the phrases its declaration lists are taken out: a command that
 * declares a `subscription` argument reads "in subscription …" anywhere in its text.
 */
export function parseDeclared(command: Command, text: string, now: Date): unknown {
  if (!command.args.some((a) => a.kind === 'subscription')) return command.parse(text, now);
  const { subscription, rest } = parseSubscriptionPhrase(text);
  const args = command.parse(rest, now);
  if (args === undefined || subscription === undefined || typeof args !== 'object' || args === null)
    return args;
  return { ...args, subscription };
}
