import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../domain/index.js';
import { readBody } from './request-body.js';

/** Reads a JSON body within the route's limit (request-body.ts); anything else is a clear 4xx, never a crash. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AppError('validation.body', 'The request body must be a JSON object.', { statusCode: 400 });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export function stringField(body: Record<string, unknown>, key: string, max = 2000): string {
  const v = body[key];
  if (typeof v !== 'string' || v.length > max) {
    throw new AppError('validation.body', `"${key}" must be a string of at most ${max} characters.`, {
      statusCode: 400,
    });
  }
  return v;
}
