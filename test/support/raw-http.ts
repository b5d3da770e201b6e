import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * One request on a raw connection, for what fetch cannot do (a body the client keeps sending after
 * the answer, headers that trickle in): the answer's status, the bytes sent, and whether the server
 * closed the connection.
 */
export function rawRequest(
  port: number,
  head: string,
  send: (write: (chunk: string | Buffer) => Promise<boolean>, answered: () => boolean) => Promise<void>,
): Promise<{ status: number; sent: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let sent = 0;
    let answer = '';
    let status = 0;
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (m && !status) status = Number(m[1]);
    });
    const finish = () => resolve({ status, sent, answer });
    socket.on('close', finish);
    socket.on('error', () => undefined); // a reset once the server stops reading is expected
    socket.once('connect', () => {
      socket.write(head);
      const write = (chunk: string | Buffer) =>
        new Promise<boolean>((ok) => {
          if (socket.destroyed) return ok(false);
          sent += Buffer.byteLength(chunk);
          if (socket.write(chunk)) return ok(true);
          // Back-pressure: wait until the server reads on, or has answered.
          const check = setInterval(() => {
            if (status || socket.destroyed) {
              clearInterval(check);
              ok(false);
            }
          }, 10);
          socket.once('drain', () => {
            clearInterval(check);
            ok(true);
          });
        });
      send(write, () => status !== 0 || socket.destroyed)
        .then(() => {
          if (!status) socket.end();
        })
        .catch(reject);
    });
  });
}

/** Sends a chunked body of `total` bytes in 64 KiB chunks, stopping once the server has answered. */
export async function sendChunked(
  write: (chunk: string | Buffer) => Promise<boolean>,
  answered: () => boolean,
  total: number,
): Promise<void> {
  const chunk = Buffer.alloc(Math.min(64 * 1024, total), 'a');
  let sent = 0;
  while (!answered() && sent < total) {
    if (!(await write(`${chunk.length.toString(16)}\r\n`))) return;
    if (!(await write(chunk))) return;
    if (!(await write('\r\n'))) return;
    sent += chunk.length;
  }
  if (!answered()) await write('0\r\n\r\n');
}

/**
 * Opens `count` connections that start a request and then send one header line every `everyMs`,
 * never finishing it (a slow-headers attack); resolves once all are connected or refused.
 */
export async function trickle(
  port: number,
  count: number,
  everyMs = 500,
): Promise<{ sockets: Socket[]; closedByServer: () => number; stop: () => void }> {
  const sockets: Socket[] = [];
  let closed = 0;
  let stopped = false;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const s = connect(port, '127.0.0.1');
          sockets.push(s);
          s.on('error', () => undefined);
          s.once('close', () => {
            if (!stopped) closed++;
            resolve();
          });
          s.once('connect', () => {
            s.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
            resolve();
          });
        }),
    ),
  );
  const timer = setInterval(() => {
    for (const s of sockets) if (!s.destroyed) s.write('X-Slow: 1\r\n');
  }, everyMs);
  return {
    sockets,
    closedByServer: () => closed,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      for (const s of sockets) s.destroy();
    },
  };
}
