import { AppError } from '../domain/index.js';

/** Card buttons send strings; anything else is refused at the boundary. */
export function toActionData(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v.slice(0, 500);
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

export function requiredField(data: Record<string, string>, key: string): string {
  const v = data[key]?.trim();
  if (!v)
    throw new AppError('validation.action', `The button sent no ${key}.`, {
      hint: 'Type the command instead.',
    });
  return v;
}

export function optionalField(data: Record<string, string>, key: string): string | undefined {
  return data[key]?.trim() || undefined;
}

/**
 * A button's subscription (a job card's, naming the job's vault's): an id as Azure writes them,
 * or a display name of printable characters. Whether the bot works in it is the fleet's check.
 */
export function subscriptionField(data: Record<string, string>): string | undefined {
  const v = optionalField(data, 'subscription');
  if (v === undefined) return undefined;
  // An id, or a display name: letters, digits, spaces and the punctuation names use.
  if (v.length > 64 || !/^[\p{L}\p{N} ._()'&,-]+$/u.test(v)) {
    throw new AppError('validation.action', 'The button named a subscription I cannot read.', {
      hint: 'Type the command instead.',
    });
  }
  return v;
}
