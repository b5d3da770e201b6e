import { AppError } from '../domain/errors.js';
import type { TokenClaims } from './entra-token-validator.js';

/**
 * The app role an Azure Monitor Action Group's secure webhook token carries: the role defined on the
 * bot's app registration and assigned to the Action Groups service principal ("AzNS AAD Webhook",
 * app id 461e8683-5575-4561-ac7f-899cc907d62a), named so in Microsoft's setup script.
 */
export const ACTION_GROUP_ROLE = 'ActionGroupsSecureWebhook';

/**
 * Refuses a valid token whose `roles` claim lacks the role (403: authenticated, not allowed). A
 * token for the app's audience can be had by any app of the tenant allowed to ask for one; the
 * role, assigned by an administrator, is what says the caller is an Action Group.
 */
export function requireAppRole(claims: TokenClaims, role: string): TokenClaims {
  const roles = claims['roles'];
  if (Array.isArray(roles) && roles.some((r) => r === role)) return claims;
  throw new AppError('auth.role', `Not allowed: the token does not carry the app role ${role}.`, {
    statusCode: 403,
  });
}
