import type { View } from '../cards/views.js';

/**
 * Where a card button's answer goes. Refresh-like and decision buttons answer on the card they are
 * on (Teams' Action.Execute semantics) — except with an error, which goes in a new message so the
 * card (an open approval request, say) stays usable. Every other button answers in a new message.
 */
const IN_PLACE_VERBS = new Set(['job.refresh', 'approval.approve', 'approval.reject', 'approval.cancel']);

export function answersInPlace(verb: string, answer?: View): boolean {
  return IN_PLACE_VERBS.has(verb) && answer?.kind !== 'error';
}
