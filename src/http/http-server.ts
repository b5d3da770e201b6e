import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAppError } from '../domain/index.js';
import type { Logger } from '../logger.js';
import { sendJson } from './http-helpers.js';
import { declaresTooMuch, tooLarge } from './request-body.js';

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
const KEEP_ALIVE = { keepAliveTimeout: 65_000, headersTimeout: 66_000 } as const;

/** The product's one HTTP server: channels mount their routes on it. */
export async function startHttpServer(o: {
  host: string;
  port: number;
  handlers: RouteHandler[];
  logger: Logger;
  /** Whether the bot can serve (its database answers); /readyz says 503 otherwise. */
  ready?: () => Promise<{ ready: boolean; reason?: string }>;
}): Promise<RunningServer> {
  let stopping = false;
  const server = createServer(KEEP_ALIVE, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      try {
        if (stopping) {
          res.setHeader('connection', 'close');
          return sendJson(res, 503, { status: 'stopping' });
        }
        // A body declared too large is refused before any of it is read.
        if (declaresTooMuch(req, url.pathname)) throw tooLarge();
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
