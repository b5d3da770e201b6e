import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * How long a bot or sandbox process may take to start. Loading it is a few CPU-seconds; on two
 * cores shared with other test files (and in `npm run test:stress`, a CPU hog) that becomes tens
 * of seconds, and a process that fails exits, which is reported at once.
 */
export const PROCESS_START_MS = 120_000;

export interface SandboxProcess {
  url: string;
  /** The certificate file it wrote: what bots given SANDBOX_URL read (SANDBOX_CA_FILE). */
  caFile: string;
  child: ChildProcess;
  /** Calls a control route (`/_sandbox/…`) and returns its JSON answer. */
  control<T = unknown>(method: 'GET' | 'POST', path: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * `npm run sandbox` in a child process (its clock stopped unless told otherwise), for tests where
 * several bot processes share one Azure: replicas on one database.
 */
export async function startSandboxProcess(env: Record<string, string> = {}): Promise<SandboxProcess> {
  const caFile = join(mkdtempSync(join(tmpdir(), 'backup-chatops-sandbox-')), 'sandbox.pem');
  // From the sources through tsx; from a compiled build (the benchmarks) as plain JavaScript.
  const compiled = import.meta.url.endsWith('.js');
  const args = compiled ? ['src/sandbox/cli.js'] : ['--import', 'tsx', 'src/sandbox/cli.ts'];
  const child = spawn(process.execPath, args, {
    cwd: join(import.meta.dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', SANDBOX_CLOCK_SPEED: '0', SANDBOX_CA_FILE: caFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sandbox did not start in ${PROCESS_START_MS} ms:\n${logs.join('')}`));
    }, PROCESS_START_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code ?? signal}:\n${logs.join('')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^Azure sandbox listening on (\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return {
    url,
    caFile,
    child,
    control: (method, path) => controlCall(`${url}${path}`, method),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A control route on the sandbox's self-signed HTTPS loopback server: test-only trust. */
export function controlCall<T>(url: string, method: 'GET' | 'POST' = 'POST'): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (!res.statusCode || res.statusCode >= 300)
          return reject(new Error(`${url}: ${res.statusCode} ${text}`));
        resolve((text ? JSON.parse(text) : undefined) as T);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** An ARM GET on the sandbox (any bearer token will do), as an SDK client would make it. */
export function armGet<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { rejectUnauthorized: false, headers: { authorization: 'Bearer test' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
