import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArmError } from '../arm-errors.js';
import type { FaultInjector, FaultSettings } from '../fault-controller.js';
import type { RequestBody } from '../http-io.js';
import { sendJson } from '../http-io.js';
import type { SandboxContext } from '../sandbox-context.js';
import { addFleet } from '../fleet.js';
import { startScheduledBackup } from '../scheduled-backup.js';
import { makeNewestPointSnapshotOnly } from '../snapshot-only-points.js';

/**
 * Control routes for demos and end-to-end tests (no auth, never faulted): health, the clock, faults,
 * planned job failures, scheduled backups, an Enhanced VM's newest point left snapshot-only, and
 * fleets of protected VMs for load tests.
 */
export function handleControl(
  ctx: SandboxContext,
  faults: FaultInjector,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: RequestBody,
): void {
  const send = (status: number, payload: unknown) => sendJson(res, status, payload);
  const refuse = (status: number, message: string) =>
    send(status, { error: { code: status === 404 ? 'NotFound' : 'InvalidInput', message } });
  const path = url.pathname.replace(/\/+$/, '');
  const method = (req.method ?? 'GET').toUpperCase();

  if (method === 'GET' && path === '/_sandbox/health') {
    return send(200, { status: 'ok', now: ctx.clock.now().toISOString() });
  }
  if (method === 'GET' && path === '/_sandbox/clock') {
    ctx.engine.catchUp();
    return send(200, { now: ctx.clock.now().toISOString(), speed: ctx.clock.speed });
  }
  if (method === 'POST' && path === '/_sandbox/clock/advance') {
    const ms = Number(url.searchParams.get('ms'));
    if (!url.searchParams.has('ms') || !Number.isFinite(ms) || ms < 0) {
      return refuse(400, 'ms must be a number of milliseconds ≥ 0.');
    }
    ctx.clock.advance(ms);
    return send(200, { now: ctx.clock.now().toISOString() });
  }
  if (method === 'GET' && path === '/_sandbox/faults') {
    return send(200, { settings: faults.current, stats: faults.stats() });
  }
  if (method === 'PUT' && path === '/_sandbox/faults') {
    if (body.kind !== 'json' || !body.value || typeof body.value !== 'object') {
      return refuse(400, 'Send the fault settings as a JSON object.');
    }
    try {
      faults.set(pickFaultSettings(body.value as Record<string, unknown>));
    } catch (e) {
      return refuse(400, e instanceof Error ? e.message : String(e));
    }
    return send(200, faults.current);
  }
  const fail = /^\/_sandbox\/vms\/([^/]+)\/fail-next$/i.exec(path);
  if (method === 'POST' && fail) {
    const phase = url.searchParams.get('phase');
    const vm = ctx.world.vmByName(decodeURIComponent(fail[1]!));
    if (!vm) return refuse(404, `There is no VM called ${decodeURIComponent(fail[1]!)}.`);
    if (phase !== 'snapshot' && phase !== 'transfer') return refuse(400, 'phase is snapshot or transfer.');
    ctx.world.plannedFailures.set(vm.name.toLowerCase(), phase);
    return send(200, { vm: vm.name, phase });
  }
  const scheduled = /^\/_sandbox\/vms\/([^/]+)\/scheduled-backup$/i.exec(path);
  if (method === 'POST' && scheduled) {
    try {
      const job = startScheduledBackup(ctx, decodeURIComponent(scheduled[1]!));
      return send(202, { jobId: job.id, vm: job.vmName, isUserTriggered: job.isUserTriggered });
    } catch (e) {
      if (e instanceof ArmError) return send(e.status, e.body());
      throw e;
    }
  }
  const snapshotOnly = /^\/_sandbox\/vms\/([^/]+)\/newest-point-snapshot-only$/i.exec(path);
  if (method === 'POST' && snapshotOnly) {
    try {
      const point = makeNewestPointSnapshotOnly(ctx.world, decodeURIComponent(snapshotOnly[1]!));
      return send(200, { recoveryPoint: point.id, time: point.time, expiry: point.expiry });
    } catch (e) {
      if (e instanceof ArmError) return send(e.status, e.body());
      throw e;
    }
  }
  if (method === 'GET' && path === '/_sandbox/jobs') {
    // For benchmarks: when each job's phases really changed, to measure how late cards show it.
    ctx.engine.catchUp();
    return send(200, {
      jobs: ctx.world.jobs.map((j) => ({
        id: j.id,
        vm: j.vmName,
        operation: j.operation,
        isUserTriggered: j.isUserTriggered,
        status: ctx.engine.statusOf(j),
        startMs: j.startMs,
        ...(j.tasks?.snapshot.endMs !== undefined ? { snapshotEndMs: j.tasks.snapshot.endMs } : {}),
        ...(j.endMs !== undefined ? { endMs: j.endMs } : {}),
      })),
    });
  }
  if (method === 'GET' && path === '/_sandbox/budget') {
    // For benchmarks: how low the Recovery Services budget went since last asked.
    return send(200, ctx.requestBudget?.lowWater() ?? { off: true });
  }
  if (method === 'POST' && path === '/_sandbox/durations') {
    // For benchmarks: later backups draw their durations from a seeded spread, e.g.
    // ?seed=15&snapshotMinutes=2-120&transferMinutes=10-480 (no seed: back to fixed durations).
    const q = url.searchParams;
    const range = (name: string) => (q.get(name) ?? '').split('-').map(Number) as [number, number];
    try {
      ctx.engine.spreadDurations(
        q.has('seed')
          ? {
              seed: Number(q.get('seed')),
              snapshotMinutes: range('snapshotMinutes'),
              transferMinutes: range('transferMinutes'),
            }
          : undefined,
      );
    } catch (e) {
      return refuse(400, e instanceof Error ? e.message : String(e));
    }
    return send(200, Object.fromEntries(q));
  }
  if (method === 'POST' && path === '/_sandbox/fleet') {
    const q = url.searchParams;
    try {
      const vms = addFleet(ctx.world, {
        prefix: q.get('prefix') ?? 'fleet',
        vms: Number(q.get('vms') ?? 10),
        vaults: Number(q.get('vaults') ?? 0),
      });
      return send(201, { vms });
    } catch (e) {
      return refuse(400, e instanceof Error ? e.message : String(e));
    }
  }
  refuse(404, `No control route ${method} ${path}.`);
}

/** The known numeric fields only; a typo in a field name is refused rather than ignored. */
function pickFaultSettings(value: Record<string, unknown>): Partial<FaultSettings> {
  const known = ['throttleRate', 'serverErrorRate', 'latencyMs', 'retryAfterMs'] as const;
  const unknown = Object.keys(value).filter((k) => !(known as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`Unknown fault settings: ${unknown.join(', ')}.`);
  const out: Partial<FaultSettings> = {};
  for (const k of known) {
    const v = value[k];
    if (v === undefined) continue;
    if (typeof v !== 'number') throw new Error(`${k} must be a number.`);
    out[k] = v;
  }
  return out;
}
