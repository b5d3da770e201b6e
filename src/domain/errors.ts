/**
 * Typed errors with stable codes (STYLE.md principle 9). Every layer throws these; every channel
 * renders them. `code` is dotted: `validation.*`, `auth.*`, `approval.*`, `azure.<ServiceCode>`,
 * `internal.*`. `message` says what went wrong; how to do it right travels as structured
 * `suggestions` that chat (src/chat/error-view.ts) turns into words and buttons, so the domain and
 * the Azure layer never phrase a chat command's help.
 */
import type { Suggestion } from './suggestions.js';

export interface AppErrorOptions {
  /** Words on how to do it right: for errors raised by chat itself, which may phrase them. */
  hint?: string;
  /** What the user can do next, as data (commands to run, names to pick from, settings to check). */
  suggestions?: Suggestion[];
  /** Structured facts for a view (the running job, the allowed range…). Never secrets. */
  details?: Record<string, unknown>;
  /** HTTP status of the Azure answer, when the error came from Azure. */
  statusCode?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly suggestions: readonly Suggestion[];
  readonly details: Record<string, unknown>;
  readonly statusCode: number | undefined;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
    this.suggestions = options.suggestions ?? [];
    this.details = options.details ?? {};
    this.statusCode = options.statusCode;
  }

  /** The service's own error code when the error came from Azure (`azure.X` → `X`). */
  get azureCode(): string | undefined {
    return this.code.startsWith('azure.') ? this.code.slice('azure.'.length) : undefined;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Several validation problems found at once are reported together, one per line. */
export function validationError(code: string, problems: string[], suggestions?: Suggestion[]): AppError {
  const message = problems.length === 1 ? problems[0]! : problems.map((p) => `• ${p}`).join('\n');
  return new AppError(code, message, { suggestions, details: { problems } });
}
