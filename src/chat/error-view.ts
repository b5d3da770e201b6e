import type { ErrorView } from '../cards/views.js';
import { isAppError } from '../domain/index.js';

/** Any failure → the card a chat user sees: plain words, the stable code, how to do it right. */
export function toErrorView(error: unknown): ErrorView {
  if (!isAppError(error)) {
    return {
      kind: 'error',
      title: 'Something went wrong',
      code: 'internal.error',
      message: 'Something unexpected went wrong on my side. It has been logged; please try again.',
    };
  }
  const suggestions = error.details.suggestions;
  return {
    kind: 'error',
    title: titleFor(error.code),
    code: error.code,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(Array.isArray(suggestions) && error.code === 'validation.unknown_command'
      ? { suggestions: suggestions.filter((s): s is string => typeof s === 'string') }
      : {}),
  };
}

function titleFor(code: string): string {
  if (code === 'validation.unknown_command') return "I didn't understand that";
  if (code.startsWith('validation.')) return 'Please check the command';
  if (code.startsWith('auth.')) return 'Not allowed';
  if (code.startsWith('approval.')) return 'Approval';
  if (code.startsWith('azure.')) return 'Azure could not do it';
  return 'Something went wrong';
}
