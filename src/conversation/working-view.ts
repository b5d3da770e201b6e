import type { MessageView } from '../cards/views.js';

/**
 * The card every channel shows at once for a typed command, which the answer then replaces: it
 * repeats what was asked, so a burst of placeholders stays readable.
 */
export function workingView(text: string): MessageView {
  return { kind: 'message', tone: 'info', title: 'Working on it…', text: text.trim().slice(0, 200) };
}

/**
 * The placeholder repainted while a command waits for Azure's request budget (RequestBudgetScheduler
 * holds people's requests rather than take the budget below its floor), so a slow answer says why.
 */
export function queuedView(text: string, waitMs: number): MessageView {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return {
    kind: 'message',
    tone: 'info',
    title: 'Queued',
    // Shown after the title ("Queued: Azure's request budget…" in a notification's fallback text).
    text: `Azure's request budget for this subscription is low, starting in about ${seconds} s. ${text.trim().slice(0, 200)}`,
  };
}

/**
 * A placeholder whose answer went out as a new message (the update window was full): it says so
 * rather than "Working on it…" for ever. Sent at progress priority, so it never delays an answer.
 */
export function answeredBelowView(text: string): MessageView {
  return { kind: 'message', tone: 'info', title: 'Answered below', text: text.trim().slice(0, 200) };
}
