import { DETERMINERS, LIST_QUESTION_TAILS, LIST_VERBS } from './vocabulary.js';

/**
 * The shapes of a request for a list, for any noun a list command declares: "vms", "list vms",
 * "show all the servers", "what machines do we have", "which vms are protected". Returns the words
 * after the noun (its options: "in vault rsv-2"), or undefined when the text is not this list.
 */
export function readListing(text: string, noun: string): string | undefined {
  const m = new RegExp(
    String.raw`^(?:${LIST_VERBS}\s+)?${DETERMINERS}${noun}\b${LIST_QUESTION_TAILS}(?:\s+(.*))?$`,
    'i',
  ).exec(text);
  return m ? (m[1] ?? '').trim() : undefined;
}
