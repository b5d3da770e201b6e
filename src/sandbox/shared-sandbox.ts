import { readFileSync } from 'node:fs';
import { request } from 'node:https';

/** What a bot needs of a sandbox: where it listens, the certificate to trust, and its clock. */
export interface SandboxLink {
  url: string;
  certificatePem: string;
  clock: { now(): Date };
  close(): Promise<void>;
}

interface ClockReading {
  now: string;
  speed: number;
}

/**
 * Connects to a sandbox running in another process (`npm run sandbox`), so that several bots —
 * replicas sharing a PostgreSQL database — see one Azure. The bot's clock mirrors the sandbox's
 * simulated clock: read once a second, and run on at the sandbox's speed in between, so job times
 * and elapsed times agree as they do with an embedded sandbox.
 */
export async function connectToSandbox(o: {
  url: string;
  caFile: string;
  resyncMs?: number;
}): Promise<SandboxLink> {
  let certificatePem: string;
  try {
    certificatePem = readFileSync(o.caFile, 'utf8');
  } catch {
    throw new Error(
      `Cannot read the sandbox's certificate at ${o.caFile}: start the sandbox (npm run sandbox) or set SANDBOX_CA_FILE.`,
    );
  }
  const read = (): Promise<ClockReading> => getJson<ClockReading>(`${o.url}/_sandbox/clock`, certificatePem);
  let reading = await read().catch((e: unknown) => {
    throw new Error(`The sandbox at ${o.url} does not answer: ${e instanceof Error ? e.message : String(e)}`);
  });
  let readAt = Date.now();
  const timer = setInterval(() => {
    void read()
      .then((r) => {
        reading = r;
        readAt = Date.now();
      })
      // A missed reading only lets the mirror run on at the last known speed.
      .catch(() => undefined);
  }, o.resyncMs ?? 1_000);
  timer.unref();
  return {
    url: o.url,
    certificatePem,
    clock: { now: () => new Date(Date.parse(reading.now) + (Date.now() - readAt) * reading.speed) },
    async close() {
      clearInterval(timer);
    },
  };
}

function getJson<T>(url: string, ca: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}
