import type { ArgumentSpec } from '../command.js';

/**
 * "in subscription "Contoso East"", "of subscription 0000…-…", "in the subscription contoso": the
 * subscription a command's vault (or VM, or resource group) is in, by id or display name. A name
 * with spaces is quoted; the closing quote may be missing (normalizeText trims one at the end).
 * Returns what is left of the text once the phrase is taken out.
 */
export function parseSubscriptionPhrase(text: string): { subscription?: string; rest: string } {
  const m = IN_SUBSCRIPTION.exec(text);
  if (!m) return { rest: text };
  const subscription = (m[1] ?? m[2] ?? m[3] ?? '').trim().slice(0, MAX_LENGTH);
  // An empty quote names nothing: the text is left to the commands as it is.
  if (!subscription) return { rest: text };
  return {
    subscription,
    rest: `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim(),
  };
}

/**
 * The declaration of the phrase: a command that lists it among its `args` gets the phrase taken out
 * of its text before its own `parse`, and `subscription` added to its arguments (interpret-text.ts).
 */
export const SUBSCRIPTION_ARG: ArgumentSpec = {
  name: 'subscription',
  kind: 'subscription',
  required: false,
  says: 'in subscription <id | "display name">',
};

/** Azure allows display names up to 64 characters; ids are 36. */
const MAX_LENGTH = 64;

const IN_SUBSCRIPTION =
  /\b(?:in|of|from|on|for|under)\s+(?:the\s+)?(?:azure\s+)?subscription\s+(?:"([^"]*)(?:"|$)|'([^']*)(?:'|$)|([^\s"']+))/i;
