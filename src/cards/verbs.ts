/**
 * The one table of card verbs (STYLE.md principle 6). A button carries a dotted verb (the Teams
 * `Action.Execute` verb, the Slack `action_id` before `#n`) and string data. Each verb says which
 * command answers it, where the answer goes, and the role that command needs; presenters emit only
 * verbs from here, both renderers draw them from the presenters, and the registry refuses others.
 */
export interface VerbInfo {
  /** The command that answers the button; for `command.run`, whatever its typed text says. */
  command: string | 'typed text';
  /**
   * `in-place`: the answer replaces the card the button is on (refresh, decisions), except an error,
   * which goes in a new message so the card stays usable. `new-message`: the answer is posted.
   */
  answer: 'in-place' | 'new-message';
  /** The role the answering command needs (for `command.run`, the typed command's own role). */
  role: 'reader' | 'operator' | 'approver';
}

export const VERB_TABLE = {
  'job.refresh': { command: 'job.show', answer: 'in-place', role: 'reader' },
  'backup.now': { command: 'backup.now', answer: 'new-message', role: 'operator' },
  'backup.enable': { command: 'backup.enable', answer: 'new-message', role: 'operator' },
  'approval.approve': { command: 'approval.approve', answer: 'in-place', role: 'approver' },
  'approval.reject': { command: 'approval.reject', answer: 'in-place', role: 'approver' },
  'approval.cancel': { command: 'approval.cancel', answer: 'in-place', role: 'operator' },
  'command.run': { command: 'typed text', answer: 'new-message', role: 'reader' },
} as const satisfies Record<string, VerbInfo>;

export type Verb = keyof typeof VERB_TABLE;
export const VERBS = Object.keys(VERB_TABLE) as Verb[];

export function isVerb(verb: string): verb is Verb {
  return Object.hasOwn(VERB_TABLE, verb);
}

/** Where a pressed button's answer goes (see `VerbInfo.answer`); unknown verbs answer in a new message. */
export function answersInPlace(verb: string, answer?: { kind: string }): boolean {
  return isVerb(verb) && VERB_TABLE[verb].answer === 'in-place' && answer?.kind !== 'error';
}
