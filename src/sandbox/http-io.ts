import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArmError } from './arm-errors.js';

const MAX_BODY = 1024 * 1024;

/** What a request carried: nothing, JSON, or something that is not JSON (ARM answers 400). */
export type RequestBody = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'invalid' };

export async function readBody(req: IncomingMessage): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) {
      throw new ArmError(413, 'RequestEntityTooLarge', `The request content exceeds ${MAX_BODY} bytes.`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return { kind: 'none' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid' };
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
