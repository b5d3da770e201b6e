import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';
import { readJson } from '../../http/http-helpers.js';

/**
 * CloudAdapter.process speaks Express/Restify-like request and response objects; the product's
 * server is plain node:http. This bridge is the whole difference.
 */
export async function toBotRequest(req: IncomingMessage): Promise<Request> {
  return { body: await readJson(req), headers: req.headers, method: req.method };
}

export function toBotResponse(res: ServerResponse): Response {
  let status = 200;
  const out: Response = {
    socket: res.socket,
    status(code: number) {
      status = code;
      return out;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return out;
    },
    send(body?: unknown) {
      if (res.headersSent) return out;
      if (body === undefined || body === null) {
        res.writeHead(status).end();
      } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
        res.writeHead(status).end(body);
      } else {
        res
          .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(body));
      }
      return out;
    },
    end() {
      if (!res.headersSent) res.writeHead(status);
      if (!res.writableEnded) res.end();
      return out;
    },
  };
  return out;
}
