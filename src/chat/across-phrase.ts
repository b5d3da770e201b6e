/**
 * "across all vaults", "in all vaults", "in every subscription", "everywhere": the list commands
 * (`list vms`, `status of jobs`) then span every vault of every configured subscription. Returns
 * what is left of the text once the phrase is taken out.
 */
export function parseAcrossPhrase(text: string): { across: boolean; rest: string } {
  const m = ACROSS.exec(text);
  if (!m) return { across: false, rest: text };
  return {
    across: true,
    rest: `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim(),
  };
}

const ACROSS =
  /\b(?:(?:across|in|from|of|for|over)\s+(?:all|every|each)(?:\s+(?:the|my|our))?\s+(?:vaults?|subscriptions?)|everywhere|fleet[\s-]wide)\b/i;
