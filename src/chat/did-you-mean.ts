import { editDistance } from '../domain/index.js';
import type { Command } from './command.js';

export interface DidYouMean {
  /** Safe to offer as buttons. */
  suggestions: string[];
  /** Readings of destructive commands: never a button from a guess, only words to type. */
  destructive: string[];
}

/**
 * Suggestions for text no command understood: the user's words with the misspelt command words
 * replaced ("bakup myVM now" → "backup myVM now"), kept only when the result parses.
 */
export function didYouMean(text: string, commands: readonly Command[], now: Date, max = 3): DidYouMean {
  const words = text.split(/\s+/).filter(Boolean);
  const found: { suggestion: string; distance: number; destructive: boolean }[] = [];
  for (const c of commands) {
    for (const keyword of c.keywords) {
      const n = keyword.split(' ').length;
      if (words.length < n) continue;
      const head = words.slice(0, n).join(' ').toLowerCase();
      const distance = editDistance(head, keyword);
      if (distance === 0 || distance > Math.max(1, Math.floor(keyword.length / 4))) continue;
      const suggestion = [keyword, ...words.slice(n)].join(' ');
      if (parses(c, suggestion, now))
        found.push({ suggestion, distance, destructive: c.effect === 'destructive' });
    }
  }
  const unique = [
    ...new Map(found.sort((a, b) => a.distance - b.distance).map((f) => [f.suggestion, f])).values(),
  ];
  return {
    suggestions: unique
      .filter((f) => !f.destructive)
      .slice(0, max)
      .map((f) => f.suggestion),
    destructive: unique
      .filter((f) => f.destructive)
      .slice(0, max)
      .map((f) => f.suggestion),
  };
}

function parses(c: Command, text: string, now: Date): boolean {
  try {
    return c.parse(text, now) !== undefined;
  } catch {
    return true; // the command recognised itself; its arguments need work, which its own error will say
  }
}
