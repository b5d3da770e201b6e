import { AppError, isAppError } from '../domain/errors.js';
import type { Suggestion } from '../domain/suggestions.js';
import { fact } from '../domain/suggestions.js';
import { azureSdk } from './azure-sdk.js';

/**
 * Turns whatever an SDK call threw into an AppError with code `azure.<ServiceCode>` and plain
 * words for a chat user; the service's own message is kept in `details.azureMessage`. What to do
 * next travels as structured suggestions.
 */
interface Known {
  message: string;
  suggestions?: Suggestion[];
}

const KNOWN: Record<string, Known> = {
  AuthorizationFailed: {
    message: "The bot's Azure identity is not allowed to do this.",
    suggestions: [fact('grant-backup-roles')],
  },
  AuthenticationFailed: {
    message: 'The bot could not sign in to Azure.',
    suggestions: [fact('check-identity')],
  },
  InvalidAuthenticationToken: {
    message: 'Azure did not accept the bot’s sign-in token.',
    suggestions: [fact('check-identity')],
  },
  SubscriptionNotFound: {
    message: 'The configured Azure subscription was not found.',
    suggestions: [fact('check-subscription')],
  },
  ResourceGroupNotFound: { message: 'That resource group does not exist.' },
  ResourceNotFound: { message: 'Azure could not find that resource.' },
  BMSUserErrorDataSourceObjectNotFound: { message: 'Azure Backup could not find that item in the vault.' },
  ResourceGroupDeletionBlocked: {
    message: 'Azure deleted only part of the resource group: a resource in it could not be deleted.',
    suggestions: [fact('resource-group-leftovers')],
  },
  TooManyRequests: {
    message: 'Azure is throttling requests right now, even after retrying.',
    suggestions: [fact('retry-later')],
  },
  InternalServerError: { message: 'Azure had an internal error.', suggestions: [fact('retry-later')] },
  ServiceUnavailable: { message: 'Azure is unavailable right now.', suggestions: [fact('retry-later')] },
  UserErrorBackupOperationInProgress: {
    message: 'Another backup of this VM is still taking its snapshot, and a VM takes one snapshot at a time.',
    suggestions: [fact('wait-for-snapshot'), { kind: 'command', text: 'status of jobs', quiet: true }],
  },
  UserErrorGuestAgentStatusUnavailable: {
    message: 'Azure Backup could not reach the VM agent inside the VM, so the snapshot could not be taken.',
    suggestions: [fact('agent-unreachable')],
  },
  LocationNotAvailableForResourceType: {
    message: 'A Recovery Services vault cannot be created in that location.',
    suggestions: [fact('vault-in-parent-region')],
  },
  InvalidResourceName: { message: 'Azure refused the resource name.' },
};

export function translateAzureError(error: unknown, action?: string): AppError {
  if (isAppError(error)) return error;
  const prefix = action ? `Could not ${action}: ` : '';
  if (azureSdk.pipeline.isRestError(error)) {
    const body = readErrorBody(error.response?.bodyAsText ?? undefined);
    const code = body?.code ?? error.code ?? (error.statusCode ? `Http${error.statusCode}` : 'RequestFailed');
    const azureMessage = sanitize(body?.message ?? error.message ?? '');
    const known = KNOWN[code];
    const requestId = error.response?.headers.get('x-ms-request-id') ?? undefined;
    if (error.statusCode === undefined || error.code === 'REQUEST_SEND_ERROR') {
      return new AppError(
        'azure.unreachable',
        `${prefix}Azure could not be reached (${sanitize(error.message)}).`,
        {
          suggestions: [fact('check-network')],
          cause: error,
        },
      );
    }
    return new AppError(
      `azure.${code}`,
      `${prefix}${known?.message ?? `Azure refused the request: ${azureMessage}`}`,
      {
        suggestions: known?.suggestions,
        statusCode: error.statusCode,
        details: { azureMessage, ...(requestId ? { requestId } : {}) },
        cause: error,
      },
    );
  }
  if (error instanceof Error && error.name === 'CredentialUnavailableError') {
    return new AppError(
      'azure.credential_unavailable',
      `${prefix}The bot has no Azure identity to sign in with.`,
      {
        suggestions: [fact('configure-identity')],
        cause: error,
      },
    );
  }
  if (error instanceof Error && error.name === 'AuthenticationError') {
    return new AppError('azure.AuthenticationFailed', `${prefix}${KNOWN.AuthenticationFailed!.message}`, {
      suggestions: KNOWN.AuthenticationFailed!.suggestions,
      cause: error,
    });
  }
  return new AppError('internal.azure', `${prefix}Something unexpected went wrong talking to Azure.`, {
    cause: error,
  });
}

/** An operation that answered 202 and then ended Failed: same words as a thrown error. */
export function operationFailure(
  code: string | undefined,
  message: string | undefined,
  action?: string,
): AppError {
  const c = code ?? 'OperationFailed';
  const known = KNOWN[c];
  const azureMessage = sanitize(message ?? 'The operation failed.');
  return new AppError(
    `azure.${c}`,
    `${action ? `Could not ${action}: ` : ''}${known?.message ?? `Azure reported: ${azureMessage}`}`,
    { suggestions: known?.suggestions, details: { azureMessage } },
  );
}

function readErrorBody(text: string | undefined): { code?: string; message?: string } | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'error' in parsed) {
      const e = (parsed as { error: unknown }).error;
      if (e && typeof e === 'object') {
        const { code, message } = e as { code?: unknown; message?: unknown };
        return {
          code: typeof code === 'string' ? code : undefined,
          message: typeof message === 'string' ? message : undefined,
        };
      }
    }
  } catch {
    // Not JSON: fall back to the RestError's own fields.
  }
  return undefined;
}

/** Service messages go to chat: keep them short and strip anything that looks like a token. */
function sanitize(message: string): string {
  const clean = message
    .replace(/Bearer\s+[\w.~+/-]+=*/gi, 'Bearer ***')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 400 ? `${clean.slice(0, 400)}…` : clean;
}
