import type { TeamsActivity } from './teams-activity.js';

/**
 * Whether a request body has the shape of a Bot Framework activity, as far as this channel and the
 * SDKs read it: checked at the boundary, before authentication and before any turn, so that a body
 * no channel sends is a 400 and never reaches an SDK's own parsing (which answers some with a 500)
 * or the translation. Returns what is wrong, for the log, or undefined.
 */
export function activityShapeProblem(body: Record<string, unknown>): string | undefined {
  if (!nonEmptyString(body.type)) return 'no type';
  if (!nonEmptyString(body.channelId)) return 'no channelId';
  if (!nonEmptyString(body.serviceUrl)) return 'no serviceUrl';
  if (!isHttpUrl(body.serviceUrl)) return 'a serviceUrl that is not an http(s) URL';
  for (const key of ['id', 'name', 'text', 'replyToId', 'locale'] as const)
    if (body[key] !== undefined && typeof body[key] !== 'string') return `a ${key} that is not a string`;
  if (!isAccount(body.from)) return 'no from account with an id';
  if (body.recipient !== undefined && !isAccount(body.recipient)) return 'a recipient that is not an account';
  if (!isObject(body.conversation) || !nonEmptyString(body.conversation.id)) return 'no conversation id';
  if (!optionalStrings(body.conversation, ['tenantId', 'conversationType', 'name']))
    return 'a conversation field that is not a string';
  for (const key of ['membersAdded', 'membersRemoved'] as const)
    if (body[key] !== undefined && !(Array.isArray(body[key]) && body[key].every(isAccount)))
      return `${key} that is not a list of accounts`;
  if (body.entities !== undefined && !(Array.isArray(body.entities) && body.entities.every(isEntity)))
    return 'entities that are not a list of typed objects';
  if (
    body.attachments !== undefined &&
    !(Array.isArray(body.attachments) && body.attachments.every(isObject))
  )
    return 'attachments that are not a list of objects';
  return undefined;
}

/** The body, once `activityShapeProblem` found nothing wrong with it. */
export function asActivity(body: Record<string, unknown>): TeamsActivity {
  return body as unknown as TeamsActivity;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

function optionalStrings(o: Record<string, unknown>, keys: readonly string[]): boolean {
  return keys.every((k) => o[k] === undefined || typeof o[k] === 'string');
}

/** A channel account: an id, and strings where Teams puts them (roles are keyed by aadObjectId). */
function isAccount(v: unknown): boolean {
  return isObject(v) && nonEmptyString(v.id) && optionalStrings(v, ['name', 'aadObjectId', 'role']);
}

function isEntity(v: unknown): boolean {
  return isObject(v) && typeof v.type === 'string';
}

function isHttpUrl(v: string): boolean {
  try {
    const { protocol } = new URL(v);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
