import type { PermissionSet } from '../domain/index.js';
import type { AzureScope } from './azure-scope.js';
import { azureSdk } from './azure-sdk.js';

const PERMISSIONS_API_VERSION = '2022-04-01';

/**
 * The bot identity's effective permissions at a scope (a resource or resource group id), from
 * Microsoft.Authorization/permissions, read through the resources client's own pipeline (its
 * credential and retries): for `check:azure`.
 */
export async function readPermissions(s: AzureScope, scope: string): Promise<PermissionSet[]> {
  const { RestError, createPipelineRequest } = azureSdk.pipeline;
  const out: PermissionSet[] = [];
  let url: string | undefined =
    `${s.endpoint}${scope}/providers/Microsoft.Authorization/permissions?api-version=${PERMISSIONS_API_VERSION}`;
  for (let page = 0; url && page < 20; page++) {
    const response = await s.clients.resources.sendRequest(createPipelineRequest({ url, method: 'GET' }));
    const body = JSON.parse(response.bodyAsText ?? '{}') as {
      value?: { actions?: string[]; notActions?: string[] }[];
      nextLink?: string;
      error?: { code?: string; message?: string };
    };
    if (response.status >= 400) {
      throw new RestError(body.error?.message ?? `HTTP ${response.status}`, {
        code: body.error?.code,
        statusCode: response.status,
      });
    }
    for (const p of body.value ?? []) out.push({ actions: p.actions ?? [], notActions: p.notActions ?? [] });
    url = body.nextLink;
  }
  return out;
}
