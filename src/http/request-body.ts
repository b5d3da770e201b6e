import type { IncomingMessage } from 'node:http';
import { AppError } from '../domain/index.js';

const KiB = 1024;

/**
 * How much of a request body each route reads: every limit in one place. Bodies are bounded
 * before they are read, since /slack/events and /api/messages read theirs before anything is
 * authenticated.
 */
const BODY_LIMITS: Readonly<Record<string, number>> = {
  // Slash commands and events are a few KB; a button's payload carries the message it was pressed
  // on (the bot's own: at most 50 blocks, a few KB in practice).
  '/slack/events': 256 * KiB,
  // A Teams message is at most about 100 KB; card invokes carry only the button's data.
  '/api/messages': 256 * KiB,
  // Typed text is at most 4,000 characters; a button sends its verb and data.
  '/web/api/messages': 32 * KiB,
  '/web/api/actions': 32 * KiB,
  // Azure Monitor alerts in the common schema are a few KB; a log alert's search results more.
  '/api/azure-monitor/alerts': 256 * KiB,
};
/** Every other route reads no body. */
const NO_BODY = 4 * KiB;

export function bodyLimitFor(pathname: string): number {
  return BODY_LIMITS[pathname] ?? NO_BODY;
}

/** Whether the declared Content-Length already exceeds the route's limit (checked before reading). */
export function declaresTooMuch(req: IncomingMessage, pathname: string): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  return !Number.isFinite(declared) || declared > bodyLimitFor(pathname);
}

export function tooLarge(): AppError {
  return new AppError('validation.body_too_large', 'The request is too large.', { statusCode: 413 });
}

/** Whether the request carries a body at all (HTTP/1.1: a length or a transfer coding). */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) !== 0;
}

/** A body is read once: the server reads it before routing, and the route gets the same bytes. */
const read = new WeakMap<IncomingMessage, Promise<Buffer>>();

/**
 * The whole body, counted as it streams (a chunked body declares no length): past the route's
 * limit reading stops, the request is left paused and a 413 is thrown. Not `for await`, which
 * would destroy the socket and with it the 413 answer. Read once per request; later calls get the
 * same result.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  let body = read.get(req);
  if (!body) {
    body = readBounded(req);
    read.set(req, body);
  }
  return body;
}

function readBounded(req: IncomingMessage): Promise<Buffer> {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (declaresTooMuch(req, pathname)) return Promise.reject(tooLarge());
  const limit = bodyLimitFor(pathname);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.pause();
        reject(tooLarge());
      } else chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
