import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvReader } from '../domain/env-reader.js';
import { readSandboxSettings } from './sandbox-settings.js';
import { ArmError } from './arm-errors.js';
import { createArmPipeline } from './arm-pipeline.js';
import { ArmRouter } from './arm-router.js';
import { AsyncOperations } from './async-operations.js';
import { createLoopbackCertificate } from './certificate.js';
import { FaultInjector } from './fault-controller.js';
import type { FaultController, FaultSettings } from './fault-controller.js';
import { readBody, sendJson } from './http-io.js';
import { JobEngine } from './job-engine.js';
import { RequestBudget } from './request-budget.js';
import { addJobRoutes } from './routes/backup-jobs.js';
import { addPolicyRoutes } from './routes/backup-policies.js';
import { addBackupNowRoute } from './routes/backup-now.js';
import { addComputeRoutes } from './routes/compute.js';
import { handleControl } from './routes/control.js';
import { addDiscoveryRoutes } from './routes/discovery.js';
import { addOperationRoutes } from './routes/operations.js';
import { addPermissionRoutes } from './routes/permissions.js';
import { addProtectionRoutes } from './routes/protection.js';
import { addResourceGroupRoutes } from './routes/resource-groups.js';
import { addRestoreRoute } from './routes/restore.js';
import { addStorageAndNetworkRoutes } from './routes/storage-and-network.js';
import { addVaultRoutes } from './routes/vaults.js';
import { startScheduledBackup } from './scheduled-backup.js';
import type { FleetSpec, FleetVm } from './fleet.js';
import { addFleet } from './fleet.js';
import type { SandboxContext } from './sandbox-context.js';
import { seedSecondWorld, seedWorld } from './seed-world.js';
import {
  SANDBOX_SECOND_SUBSCRIPTION,
  SANDBOX_SUBSCRIPTION_ID,
  SANDBOX_SUBSCRIPTION_NAME,
} from './seed-ids.js';
import type { SandboxSubscription } from './routes/subscriptions.js';
import { addSubscriptionRoutes } from './routes/subscriptions.js';
import { SimulatedClock } from './simulated-clock.js';
import type { SandboxWorld } from './world.js';

export type { FaultController, FaultSettings, FaultStats, InjectedFault } from './fault-controller.js';
export type { SimulatedClock } from './simulated-clock.js';
export type { SandboxWorld } from './world.js';

export interface SandboxOptions {
  /** 0 picks a free port; the server binds 127.0.0.1 only. */
  port?: number;
  /** Simulated seconds per real second; 0 stops the clock (advance() moves it). */
  clockSpeed?: number;
  /** Simulated "now" at start (default: real now). */
  startTime?: Date;
  snapshotMinutes?: number;
  transferMinutes?: number;
  faults?: Partial<FaultSettings>;
  /** Seed of the fault generator, so a run repeats. */
  seed?: number;
  /**
   * Multiplies the recorded durations of long-running operations (default 1: enable takes 92
   * simulated seconds, as in the recordings; 0 with a stopped clock): 0 makes them finish at once.
   */
  operationTimeScale?: number;
  /** Retry-After sent on ARM's own 202 answers (resource groups, vaults), in seconds (default 1; tests pass 0). */
  asyncRetryAfterSeconds?: number;
  /** backupJobs list page size before nextLink (default 100). */
  jobPageSize?: number;
  /** Recovery Services request budget (default 300, refilled 10/s); false turns it off. */
  rateLimit?: { capacity: number; refillPerSecond: number } | false;
}

export interface Sandbox {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** Self-signed certificate (127.0.0.1, localhost) made at start: trust it with https.Agent({ ca }). */
  certificatePem: string;
  clock: SimulatedClock;
  faults: FaultController;
  /** The first subscription's world (the bot's default in sandbox mode). */
  world: SandboxWorld;
  /** The world of a subscription the sandbox serves (the first for an unknown id). */
  worldOf(subscriptionId: string): SandboxWorld;
  failNextBackup(vmName: string, phase: 'snapshot' | 'transfer'): void;
  /**
   * Starts a backup of a protected VM directly, as its schedule would (no ARM request; the job is
   * `isUserTriggered: false`): for alerts, benchmarks and load tests. Returns the job id.
   */
  startScheduledBackup(vmName: string): string;
  /** Adds protected VMs (and vaults) in bulk, for load tests; see `addFleet`. */
  addFleet(spec: FleetSpec): FleetVm[];
  /** Every ARM request answered (control routes excluded), the last 10,000. */
  requestLog: ReadonlyArray<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

const LOG_CAP = 10_000;

/**
 * The local Azure (DESIGN.md section 7): an HTTPS server on 127.0.0.1 answering the subset of Azure
 * Resource Manager the bot uses, in the shapes of the Azure REST examples and with their semantics.
 * Control routes (`/_sandbox/…`) skip auth and faults; everything else goes through the ARM pipeline.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  // One source of defaults: the sandbox settings of an empty environment.
  const defaults = readSandboxSettings(new EnvReader({}), false);
  const clockSpeed = options.clockSpeed ?? defaults.clockSpeed;
  const clock = new SimulatedClock(options.startTime ?? new Date(), clockSpeed);
  const faults = new FaultInjector({ ...defaults.faults, ...options.faults }, options.seed ?? defaults.seed);
  const rate = options.rateLimit ?? { capacity: 300, refillPerSecond: 10 };
  const subscriptions: SandboxSubscription[] = [
    { id: SANDBOX_SUBSCRIPTION_ID, displayName: SANDBOX_SUBSCRIPTION_NAME },
    { id: SANDBOX_SECOND_SUBSCRIPTION.id, displayName: SANDBOX_SECOND_SUBSCRIPTION.displayName },
  ];
  // Each subscription is a world of its own, with its own jobs and its own request budget, as in
  // Azure; requests go to the one their path names (tenant-level ones to the first).
  const place = (world: SandboxWorld) => {
    const engine = new JobEngine(world, clock, {
      snapshotMs: (options.snapshotMinutes ?? defaults.snapshotMinutes) * 60_000,
      transferMs: (options.transferMinutes ?? defaults.transferMinutes) * 60_000,
      shortJobMs: 30_000,
    });
    const ctx: SandboxContext = {
      world,
      clock,
      engine,
      // A stopped clock is stepped by hand: operations then finish at once unless asked otherwise.
      operations: new AsyncOperations(world, clock, options.operationTimeScale ?? (clockSpeed === 0 ? 0 : 1)),
      asyncRetryAfterSeconds: options.asyncRetryAfterSeconds ?? 1,
      jobPageSize: Math.max(1, options.jobPageSize ?? 100),
    };
    const router = new ArmRouter();
    for (const add of [
      addComputeRoutes,
      addResourceGroupRoutes,
      addVaultRoutes,
      addPolicyRoutes,
      addDiscoveryRoutes,
      addProtectionRoutes,
      addBackupNowRoute,
      addRestoreRoute,
      addStorageAndNetworkRoutes,
      addOperationRoutes,
      addJobRoutes,
      addPermissionRoutes,
    ]) {
      add(router, ctx);
    }
    addSubscriptionRoutes(router, subscriptions);
    const arm = createArmPipeline({
      router,
      faults,
      budget: (ctx.requestBudget = rate ? new RequestBudget(rate.capacity, rate.refillPerSecond) : undefined),
      catchUp: () => {
        ctx.operations.catchUp();
        engine.catchUp();
        world.purgeSoftDeleted(clock.now().getTime());
      },
    });
    return { ctx, arm };
  };
  const first = place(seedWorld(clock.now()));
  const second = place(seedSecondWorld(clock.now()));
  const { ctx } = first;
  const world = ctx.world;
  const armFor = (path: string) =>
    /^\/subscriptions\/([^/]+)/i.exec(path)?.[1]?.toLowerCase() === SANDBOX_SECOND_SUBSCRIPTION.id
      ? second.arm
      : first.arm;
  const requestLog: { method: string; path: string; status: number }[] = [];
  const { cert, key } = await createLoopbackCertificate();
  let baseUrl = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const body = await readBody(req);
    if (url.pathname.startsWith('/_sandbox/')) return handleControl(ctx, faults, req, res, url, body);
    const method = (req.method ?? 'GET').toUpperCase();
    const answer = armFor(url.pathname)({
      method,
      url,
      body,
      authorization: req.headers.authorization,
      baseUrl,
    });
    const latency = faults.current.latencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    requestLog.push({ method, path: url.pathname, status: answer.status });
    if (requestLog.length > LOG_CAP) requestLog.splice(0, requestLog.length - LOG_CAP);
    sendJson(res, answer.status, answer.body, answer.headers);
  }

  const server = createServer({ cert, key }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      const error =
        e instanceof ArmError
          ? e
          : new ArmError(500, 'InternalServerError', `The sandbox failed: ${String(e)}`);
      sendJson(res, error.status, error.body(), error.headers);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? defaults.port, '127.0.0.1', () => resolve());
  });
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    certificatePem: cert,
    clock,
    faults: { set: (s) => faults.set(s), inject: (r) => faults.inject(r), stats: () => faults.stats() },
    world,
    worldOf: (subscriptionId) =>
      subscriptionId.toLowerCase() === SANDBOX_SECOND_SUBSCRIPTION.id ? second.ctx.world : world,
    failNextBackup: (vmName, phase) => {
      const vm = world.vmByName(vmName);
      if (!vm) throw new Error(`The sandbox has no VM called ${vmName}.`);
      world.plannedFailures.set(vm.name.toLowerCase(), phase);
    },
    startScheduledBackup: (vmName) => startScheduledBackup(ctx, vmName).id,
    addFleet: (spec) => addFleet(world, spec),
    requestLog,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
