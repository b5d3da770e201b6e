import { answersInPlace as byVerbTable } from '../cards/verbs.js';
import type { View } from '../cards/views.js';
import type { Reply } from '../chat/reply.js';

/**
 * Where a card button's answer goes. Refresh-like and decision buttons answer on the card they are
 * on (Teams' Action.Execute semantics) — except with an error, which goes in a new message so the
 * card (an open approval request, say) stays usable. Every other button answers in a new message.
 */
export function answersInPlace(verb: string, answer?: View): boolean {
  // The verb table (src/cards/verbs.ts) says which verbs answer in place.
  return byVerbTable(verb, answer);
}

/**
 * Whether an answer must be a message with an id: a watched job's card (the watcher updates it)
 * and an approval's card (its outcome follows it). Any other answer may go where no id comes back.
 */
export function needsItsMessage(reply: Reply): boolean {
  return Boolean(reply.watch) || reply.view.kind === 'approval';
}
