import { randomUUID } from 'node:crypto';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArmError } from './arm-errors.js';
import { ArmRouter } from './arm-router.js';
import type { ArmResponse } from './arm-router.js';
import { AsyncOperations } from './async-operations.js';
import { createLoopbackCertificate } from './certificate.js';
import { FaultController } from './fault-controller.js';
import type { FaultSettings, FaultStats, InjectedFault } from './fault-controller.js';
import { JobEngine } from './job-engine.js';
import { RequestBudget } from './request-budget.js';
import { addJobRoutes } from './routes/backup-jobs.js';
import { addPolicyRoutes } from './routes/backup-policies.js';
import { addComputeRoutes } from './routes/compute.js';
import { handleControl } from './routes/control.js';
import { addProtectionRoutes } from './routes/protection.js';
import { addResourceGroupRoutes } from './routes/resource-groups.js';
import { addVaultRoutes } from './routes/vaults.js';
import type { SandboxContext } from './sandbox-context.js';
import { seedWorld } from './seed-world.js';
import { SimulatedClock } from './simulated-clock.js';
import type { SandboxWorld } from './world.js';

export interface SandboxOptions {
  /** 0 picks a free port; the server binds 127.0.0.1 only. */
  port?: number;
  /** Simulated seconds per real second; 0 stops the clock (advance() moves it). */
  clockSpeed?: number;
  startTime?: Date;
  snapshotMinutes?: number;
  transferMinutes?: number;
  faults?: Partial<FaultSettings>;
  seed?: number;
  /** How many status reads an async operation answers InProgress (default 1). */
  operationPolls?: number;
  /** Retry-After sent on 202 answers, in seconds (default 1; tests pass 0). */
  asyncRetryAfterSeconds?: number;
  jobPageSize?: number;
  /** Recovery Services request budget; false turns it off. */
  rateLimit?: { capacity: number; refillPerSecond: number } | false;
}

export interface Sandbox {
  url: string;
  certificatePem: string;
  clock: SimulatedClock;
  faults: {
    set(settings: Partial<FaultSettings>): void;
    inject(rule: InjectedFault): void;
    stats(): FaultStats;
  };
  world: SandboxWorld;
  failNextBackup(vmName: string, phase: 'snapshot' | 'transfer'): void;
  requestLog: ReadonlyArray<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

const LOG_CAP = 10_000;
const MAX_BODY = 1024 * 1024;

/**
 * The local Azure (DESIGN.md section 7): an HTTPS server on 127.0.0.1 answering the subset of Azure
 * Resource Manager the bot uses, in the shapes of the Azure REST examples and with their semantics.
 * Each request goes: control routes | auth → faults → request budget → route → ARM JSON.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = new SimulatedClock(options.startTime ?? new Date(), options.clockSpeed ?? 60);
  const world = seedWorld(clock.now());
  const engine = new JobEngine(world, clock, {
    snapshotMs: (options.snapshotMinutes ?? 8) * 60_000,
    transferMs: (options.transferMinutes ?? 33) * 60_000,
    shortJobMs: 30_000,
  });
  const ctx: SandboxContext = {
    world,
    clock,
    engine,
    operations: new AsyncOperations(world, options.operationPolls ?? 1, () => clock.now()),
    asyncRetryAfterSeconds: options.asyncRetryAfterSeconds ?? 1,
    jobPageSize: options.jobPageSize ?? 100,
  };
  const faults = new FaultController(options.faults ?? {}, options.seed ?? 1);
  const rate = options.rateLimit ?? { capacity: 300, refillPerSecond: 10 };
  const budget = rate ? new RequestBudget(rate.capacity, rate.refillPerSecond) : undefined;
  const router = new ArmRouter();
  for (const add of [
    addComputeRoutes,
    addResourceGroupRoutes,
    addVaultRoutes,
    addPolicyRoutes,
    addProtectionRoutes,
    addJobRoutes,
  ]) {
    add(router, ctx);
  }
  const requestLog: { method: string; path: string; status: number }[] = [];
  const { cert, key } = await createLoopbackCertificate();

  const server = createServer({ cert, key }, (req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        respond(res, 500, { error: { code: 'InternalServerError', message: String(e) } }, {});
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const body = await readBody(req);
    if (url.pathname.startsWith('/_sandbox/')) return handleControl(ctx, faults, req, res, url, body);
    const method = req.method ?? 'GET';
    const answer = decide(method, url, body, req.headers.authorization);
    engine.catchUp();
    const latency = faults.current.latencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    requestLog.push({ method, path: url.pathname, status: answer.status });
    if (requestLog.length > LOG_CAP) requestLog.splice(0, requestLog.length - LOG_CAP);
    respond(res, answer.status, answer.body, answer.headers ?? {});
  }

  function decide(method: string, url: URL, body: unknown, authorization: string | undefined): ArmResponse {
    const common: Record<string, string> = {
      'x-ms-request-id': randomUUID(),
      'x-ms-correlation-request-id': randomUUID(),
      [`x-ms-ratelimit-remaining-subscription-${method === 'GET' || method === 'HEAD' ? 'reads' : 'writes'}`]:
        '11999',
    };
    try {
      if (!authorization?.startsWith('Bearer ')) {
        throw new ArmError(
          401,
          'AuthenticationFailed',
          "Authentication failed. The 'Authorization' header is missing.",
        );
      }
      const fault = faults.decide(method, url.pathname);
      if (fault) throw fault;
      if (budget && /\/providers\/Microsoft\.RecoveryServices\//i.test(url.pathname)) {
        const taken = budget.take();
        if (!taken.ok) {
          throw new ArmError(
            429,
            'TooManyRequests',
            'The Recovery Services request budget of the subscription is used up.',
            faults.retryHeaders(taken.retryAfterMs),
          );
        }
        common['x-ms-ratelimit-remaining-subscription-resource-requests'] = String(taken.remaining);
      }
      const route = router.match(method, url.pathname);
      if (route === 'method-not-allowed')
        throw new ArmError(405, 'MethodNotAllowed', `The method ${method} is not allowed here.`);
      if (!route)
        throw new ArmError(
          404,
          'InvalidResourceType',
          `The resource type or path '${url.pathname}' is not served by the sandbox.`,
        );
      const answer = route.handler({ method, url, params: route.params, body, baseUrl });
      return { ...answer, headers: { ...common, ...answer.headers } };
    } catch (e) {
      if (e instanceof ArmError)
        return { status: e.status, body: e.body(), headers: { ...common, ...e.headers } };
      throw e;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    certificatePem: cert,
    clock,
    faults: { set: (s) => faults.set(s), inject: (r) => faults.inject(r), stats: () => faults.stats() },
    world,
    failNextBackup: (vmName, phase) => world.plannedFailures.set(vmName.toLowerCase(), phase),
    requestLog,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
