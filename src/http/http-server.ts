import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isAppError } from '../domain/index.js';
import type { Logger } from '../logger.js';
import { sendJson } from './http-helpers.js';
import { declaresTooMuch, hasBody, readBody, tooLarge } from './request-body.js';

/** A route handler answers and returns true, or returns false to let the next one try. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface RunningServer {
  server: Server;
  url: string;
  /** Shutdown: no new connections, and requests on open ones get 503 (readiness too). */
  stopAccepting(): void;
  close(): Promise<void>;
}

/**
 * Idle keep-alive connections stay open longer than the proxies and clients in front keep theirs
 * (load balancers commonly 60 s; undici 4 s or the server's hint). With Node's default of 5 s, a
 * client that reused a connection just as the server closed it got ECONNRESET (seen under load, in
 * the e2e tests and bench:ack); the side that closes an idle connection must be the client.
 */
const KEEP_ALIVE = { keepAliveTimeout: 65_000 } as const;

/**
 * A client has 10 s to send its request's headers and 30 s for the whole request, checked every
 * second (Node's defaults: 60 s, 300 s, checked every 30 s). Both count from the request's first
 * byte, so they never cut an idle kept-alive connection (keepAliveTimeout does that) nor a
 * response that streams (the web chat's events).
 */
const SLOW_CLIENTS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  connectionsCheckingInterval: 1_000,
} as const;

/**
 * Open connections at most, by default: well under a process's usual limit of 1,024 open files,
 * with room for the database, outbound clients and the event loop's own. Past it, a new
 * connection takes the place of the oldest one that has no request under way (one still
 * trickling its headers, or an idle kept-alive one): clients that hold connections open without
 * asking anything can only push each other out, never lock others out.
 */
export const DEFAULT_MAX_CONNECTIONS = 512;

/** The product's one HTTP server: channels mount their routes on it. */
export async function startHttpServer(o: {
  host: string;
  port: number;
  handlers: RouteHandler[];
  logger: Logger;
  /** Whether the bot can serve (its database answers); /readyz says 503 otherwise. */
  ready?: () => Promise<{ ready: boolean; reason?: string }>;
  /** Open connections at most (DEFAULT_MAX_CONNECTIONS). */
  maxConnections?: number;
}): Promise<RunningServer> {
  let stopping = false;
  const server = createServer({ ...KEEP_ALIVE, ...SLOW_CLIENTS }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      try {
        if (stopping) {
          res.setHeader('connection', 'close');
          return sendJson(res, 503, { status: 'stopping' });
        }
        // A body declared too large is refused before any of it is read.
        if (declaresTooMuch(req, url.pathname)) throw tooLarge();
        // Every body is read here, within its route's limit (4 KiB where a route reads none), even
        // by routes that answer without it (a 401, a 405, a 404): Node would otherwise drain the
        // rest of the body unbounded to keep the connection alive. Routes get the same bytes.
        if (hasBody(req)) await readBody(req);
        if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
        if (url.pathname === '/readyz') {
          const r = o.ready ? await o.ready() : { ready: true };
          return sendJson(res, r.ready ? 200 : 503, {
            status: r.ready ? 'ready' : 'not ready',
            ...(r.reason ? { reason: r.reason } : {}),
          });
        }
        for (const h of o.handlers) if (await h(req, res, url)) return;
        sendJson(res, 404, { error: { code: 'not_found', message: 'No such page.' } });
      } catch (e) {
        if (isAppError(e) && e.statusCode && e.statusCode < 500) {
          // The rest of a body too large is never read: the connection closes after the answer.
          if (e.statusCode === 413) res.setHeader('connection', 'close');
          if (!res.headersSent) sendJson(res, e.statusCode, { error: { code: e.code, message: e.message } });
          return;
        }
        o.logger.error('http handler failed', {
          path: url.pathname,
          error: e instanceof Error ? e.stack : String(e),
        });
        if (!res.headersSent)
          sendJson(res, 500, { error: { code: 'internal.error', message: 'Something went wrong.' } });
        else res.end();
      }
    })();
  });
  capConnections(server, o.maxConnections ?? DEFAULT_MAX_CONNECTIONS, o.logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // server.close() once: its callback waits for a 'close' event that a second call could miss.
  let closed: Promise<void> | undefined;
  const closing = (): Promise<void> => (closed ??= new Promise((resolve) => server.close(() => resolve())));
  return {
    server,
    url: `http://${o.host === '127.0.0.1' ? 'localhost' : o.host}:${port}`,
    stopAccepting: () => {
      stopping = true;
      void closing();
    },
    close: () => {
      server.closeAllConnections();
      return closing();
    },
  };
}

/**
 * Keeps at most `max` connections open (see DEFAULT_MAX_CONNECTIONS): at the cap, a new connection
 * replaces the oldest one with no request under way; when every one is serving a request, the new
 * one is closed.
 */
function capConnections(server: Server, max: number, logger: Logger): void {
  /** Open connections, the longest without a request under way first; the value: requests under way. */
  const open = new Map<Socket, number>();
  let evicted = 0;
  let lastReport = 0;
  const report = (): void => {
    evicted++;
    const now = Date.now();
    if (now - lastReport < 10_000) return;
    lastReport = now;
    logger.warn('http connections at the cap: idle or slow ones closed for new ones', {
      maxConnections: max,
      closedSinceLastReport: evicted,
    });
    evicted = 0;
  };
  server.on('connection', (socket: Socket) => {
    if (open.size >= max) {
      let victim: Socket | undefined;
      for (const [s, busy] of open) {
        if (busy === 0) {
          victim = s;
          break;
        }
      }
      report();
      if (!victim) {
        socket.destroy();
        return;
      }
      open.delete(victim);
      victim.destroy();
    }
    open.set(socket, 0);
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    if (!open.has(socket)) return;
    open.set(socket, (open.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const busy = open.get(socket);
      if (busy === undefined) return;
      // Idle again: to the end of the line, the newest of the idle ones.
      open.delete(socket);
      if (!socket.destroyed) open.set(socket, Math.max(0, busy - 1));
    });
  });
}
