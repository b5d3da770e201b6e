import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createLoopbackCertificate } from '../../src/sandbox/certificate.js';

/** A request the service sent, as the recorded-Azure server saw it. */
export interface SeenRequest {
  method: string;
  /** Decoded path (`;` rather than `%3B`), without the query. */
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface RecordedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * An HTTPS server that answers the official SDK clients with responses recorded from real Azure,
 * route by route, in order (the last one repeats), and keeps every request it was sent. Absolute
 * URLs in recorded headers point back at it.
 */
export interface RecordedArm {
  url: string;
  certificatePem: string;
  requests: SeenRequest[];
  /** Answers `method` on paths matching `path` (decoded) with these responses in turn. */
  on(method: string, path: RegExp, answers: RecordedAnswer[]): void;
  close(): Promise<void>;
}

export async function startRecordedArm(): Promise<RecordedArm> {
  const { cert, key } = await createLoopbackCertificate();
  const routes: { method: string; path: RegExp; answers: RecordedAnswer[]; served: number }[] = [];
  const requests: SeenRequest[] = [];
  let base = '';
  const server = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const text = Buffer.concat(chunks).toString();
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: Object.fromEntries(url.searchParams),
        body: text ? (JSON.parse(text) as unknown) : null,
      };
      requests.push(seen);
      // The newest route for a path wins, so a test can change what a list answers next.
      const route = [...routes].reverse().find((r) => r.method === seen.method && r.path.test(seen.path));
      if (!route) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'NoRecording', message: `${seen.method} ${seen.path}` } }));
        return;
      }
      const answer = route.answers[Math.min(route.served++, route.answers.length - 1)]!;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.headers ?? {})) {
        headers[k] = v.replace('https://management.azure.com', base);
      }
      const body = answer.body === undefined || answer.body === null ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    certificatePem: cert,
    requests,
    on: (method, path, answers) => routes.push({ method, path, answers, served: 0 }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
