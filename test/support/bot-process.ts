import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { controlCall, PROCESS_START_MS } from './sandbox-process.js';

export interface BotProcess {
  url: string;
  sandboxUrl: string;
  child: ChildProcess;
  /** stdout lines and stderr chunks, in arrival order. */
  logs: string[];
  /** What the process wrote to stderr (nothing, when every library logs through the JSON logger). */
  stderr: string[];
  /** Moves the sandbox's simulated clock through its control route. */
  advanceClock(minutes: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the real bot (`src/main.ts`, as `npm start` does) in a child process on free ports, with
 * the sandbox's clock stopped so the test steps time, and waits for its "started" log line.
 */
export async function startBotProcess(
  env: Record<string, string> = {},
  /** Extra node flags, such as `--cpu-prof` for profiling a benchmark. */
  nodeArgs: string[] = [],
): Promise<BotProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'backup-chatops-e2e-'));
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: join(import.meta.dirname, '../..'),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      DATABASE_PATH: join(dir, 'bot.db'),
      SANDBOX_CLOCK_SPEED: '0',
      WATCH_INTERVAL_MS: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => {
    logs.push(d.toString());
    stderr.push(d.toString());
  });
  const started = await new Promise<{ url: string; sandbox: string }>((resolve, reject) => {
    // Starting means loading the SDKs through tsx: a few CPU-seconds, which a machine busy with
    // other test files stretches to tens of seconds. A bot that exits fails at once; one that is
    // still starting after PROCESS_START_MS is killed, not left running.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bot did not start in ${PROCESS_START_MS} ms:\n${logs.join('\n')}`));
    }, PROCESS_START_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code ?? signal}:\n${logs.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string; sandbox?: string };
      if (entry.msg === 'started' && entry.url && entry.sandbox) {
        clearTimeout(timer);
        resolve({ url: entry.url, sandbox: entry.sandbox });
      }
    });
  });
  return {
    url: started.url,
    sandboxUrl: started.sandbox,
    child,
    logs,
    stderr,
    advanceClock: async (minutes) => {
      await controlCall(`${started.sandbox}/_sandbox/clock/advance?ms=${minutes * 60_000}`);
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
