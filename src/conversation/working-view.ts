import type { MessageView } from '../cards/views.js';

/**
 * The card every channel shows at once for a typed command, which the answer then replaces: it
 * repeats what was asked, so a burst of placeholders stays readable.
 */
export function workingView(text: string): MessageView {
  return { kind: 'message', tone: 'info', title: 'Working on it…', text: text.trim().slice(0, 200) };
}
