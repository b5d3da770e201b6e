import { badRequest } from './arm-errors.js';

/**
 * The `$filter` dialect Azure Backup lists accept: `field eq 'value'` clauses joined by ` and `.
 * Returns the values by lower-cased field name; anything else (an unknown field, another operator,
 * a field named twice) is refused with 400, as the service does.
 */
export function parseEqFilter(text: string | null, fields: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (text === null || !text.trim()) return out;
  const allowed = new Map(fields.map((f) => [f.toLowerCase(), f]));
  for (const clause of text.trim().split(/\s+and\s+/i)) {
    const m = /^(\w+)\s+eq\s+'([^']*)'$/i.exec(clause.trim());
    if (!m) throw invalid(`The filter clause "${clause.slice(0, 80)}" is not of the form field eq 'value'.`);
    const field = m[1]!.toLowerCase();
    if (!allowed.has(field)) {
      throw invalid(`The filter field "${m[1]}" is not supported here; use ${fields.join(', ')}.`);
    }
    if (out.has(field)) throw invalid(`The filter names "${m[1]}" twice.`);
    out.set(field, m[2]!);
  }
  return out;
}

/**
 * A filter Azure Backup refuses: BMSUserErrorInvalidInput, as seen live for protected items
 * (azure-sdk-for-net issue 41075); the jobs list's code was never seen, only its message.
 */
export function invalid(message: string): ReturnType<typeof badRequest> {
  return badRequest(
    'BMSUserErrorInvalidInput',
    `Input provided for the call is invalid\r\nPlease check the required inputs: ${message}`,
  );
}
