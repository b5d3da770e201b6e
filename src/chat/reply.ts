import type { View } from '../cards/views.js';
import type { WatchRequest } from '../domain/index.js';

/** The audit outcome of a command that was valid but changed nothing (a decision after the decision). */
export const NO_EFFECT = 'no effect';

/** What the core answers: a view to show, and maybe a job to watch (STYLE.md principle 4). */
export interface Reply {
  view: View;
  watch?: WatchRequest;
  /** How the audit log records the command when not plain "ok": `NO_EFFECT`, or a refusal's code. */
  outcome?: string;
}
