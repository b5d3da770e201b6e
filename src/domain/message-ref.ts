/**
 * Where a message lives, as the channel that posted it writes it (Slack `{channel, ts}`, Teams a
 * conversation reference and an activity id, web `{messageId}`), with `key`: the message's stable
 * identity (Slack `channel:ts`, Teams `conversation:activityId`, web the message id). Two events
 * about one card (the answer, a refresh) may carry different references but always the same key,
 * so watches, updates and the journal all find the card by it. Stored as JSON.
 */
export type MessageRef = { readonly key: string } & Readonly<Record<string, unknown>>;

/** A conversation to post new messages in, as the channel writes it (stored as JSON). */
export type ConversationTarget = Readonly<Record<string, unknown>>;

/** The key of a stored reference; one written before references had keys is its own JSON. */
export function keyOf(ref: Readonly<Record<string, unknown>>): string {
  return typeof ref.key === 'string' ? ref.key : JSON.stringify(ref);
}

/** A stored reference as a MessageRef. */
export function asMessageRef(ref: Readonly<Record<string, unknown>>): MessageRef {
  return typeof ref.key === 'string' ? (ref as MessageRef) : { ...ref, key: keyOf(ref) };
}
