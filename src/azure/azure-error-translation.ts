import { isRestError } from '@azure/core-rest-pipeline';
import { AppError, isAppError } from '../domain/errors.js';

/**
 * Turns whatever an SDK call threw into an AppError with code `azure.<ServiceCode>` and plain
 * words for a chat user; the service's own message is kept in `details.azureMessage`.
 */
interface Known {
  message: string;
  hint?: string;
}

const KNOWN: Record<string, Known> = {
  AuthorizationFailed: {
    message: "The bot's Azure identity is not allowed to do this.",
    hint: "Ask an Azure administrator to grant the bot's identity the Backup Contributor role on the vault's resource group (and Virtual Machine Contributor on the VMs' resource groups).",
  },
  AuthenticationFailed: {
    message: 'The bot could not sign in to Azure.',
    hint: "Check the bot's Azure identity (managed identity, workload identity or service principal settings).",
  },
  InvalidAuthenticationToken: {
    message: 'Azure did not accept the bot’s sign-in token.',
    hint: "Check the bot's Azure identity settings.",
  },
  SubscriptionNotFound: {
    message: 'The configured Azure subscription was not found.',
    hint: 'Check AZURE_SUBSCRIPTION_ID.',
  },
  ResourceGroupNotFound: { message: 'That resource group does not exist.' },
  ResourceNotFound: { message: 'Azure could not find that resource.' },
  BMSUserErrorDataSourceObjectNotFound: { message: 'Azure Backup could not find that item in the vault.' },
  ResourceGroupDeletionBlocked: {
    message: 'Azure deleted only part of the resource group: a resource in it could not be deleted.',
    hint: 'See which resources are left with "delete resource group <name>" (it lists them), and what blocks them in Azure.',
  },
  TooManyRequests: {
    message: 'Azure is throttling requests right now, even after retrying.',
    hint: 'Wait a minute and try again.',
  },
  InternalServerError: { message: 'Azure had an internal error.', hint: 'Try again in a few minutes.' },
  ServiceUnavailable: { message: 'Azure is unavailable right now.', hint: 'Try again in a few minutes.' },
  UserErrorBackupOperationInProgress: {
    message: 'Another backup of this VM is still taking its snapshot, and a VM takes one snapshot at a time.',
    hint: 'Wait for the running job to finish its snapshot (see "status of jobs"), then back up again.',
  },
  UserErrorGuestAgentStatusUnavailable: {
    message: 'Azure Backup could not reach the VM agent inside the VM, so the snapshot could not be taken.',
    hint: 'Make sure the VM agent is installed, running and up to date, then back up again.',
  },
  LocationNotAvailableForResourceType: {
    message: 'A Recovery Services vault cannot be created in that location.',
    hint: 'Create the vault in the parent region of the Extended Zone.',
  },
  InvalidResourceName: { message: 'Azure refused the resource name.' },
};

export function translateAzureError(error: unknown, action?: string): AppError {
  if (isAppError(error)) return error;
  const prefix = action ? `Could not ${action}: ` : '';
  if (isRestError(error)) {
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
          hint: 'Check the network path to Azure Resource Manager and try again.',
          cause: error,
        },
      );
    }
    return new AppError(
      `azure.${code}`,
      `${prefix}${known?.message ?? `Azure refused the request: ${azureMessage}`}`,
      {
        hint: known?.hint,
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
        hint: 'Configure a managed identity, workload identity, AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or sign in with the Azure CLI.',
        cause: error,
      },
    );
  }
  if (error instanceof Error && error.name === 'AuthenticationError') {
    return new AppError('azure.AuthenticationFailed', `${prefix}${KNOWN.AuthenticationFailed!.message}`, {
      hint: KNOWN.AuthenticationFailed!.hint,
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
    { hint: known?.hint, details: { azureMessage } },
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
