import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultController, FaultSettings } from '../fault-controller.js';
import type { SandboxContext } from '../sandbox-context.js';

/**
 * Control routes for demos and end-to-end tests (no auth, never faulted): the clock, faults and
 * planned job failures.
 */
export function handleControl(
  ctx: SandboxContext,
  faults: FaultController,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: unknown,
): void {
  const send = (status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  };
  const path = url.pathname.replace(/\/+$/, '');
  if (req.method === 'GET' && path === '/_sandbox/health')
    return send(200, { status: 'ok', now: ctx.clock.now().toISOString() });
  if (req.method === 'GET' && path === '/_sandbox/clock')
    return send(200, { now: ctx.clock.now().toISOString() });
  if (req.method === 'POST' && path === '/_sandbox/clock/advance') {
    const ms = Number(url.searchParams.get('ms'));
    if (!Number.isFinite(ms) || ms < 0)
      return send(400, { error: { code: 'InvalidInput', message: 'ms must be a number ≥ 0.' } });
    ctx.clock.advance(ms);
    return send(200, { now: ctx.clock.now().toISOString() });
  }
  if (req.method === 'PUT' && path === '/_sandbox/faults') {
    faults.set((body ?? {}) as Partial<FaultSettings>);
    return send(200, faults.current);
  }
  const fail = /^\/_sandbox\/vms\/([^/]+)\/fail-next$/.exec(path);
  if (req.method === 'POST' && fail) {
    const phase = url.searchParams.get('phase');
    const vm = ctx.world.vmByName(decodeURIComponent(fail[1]!));
    if (!vm) return send(404, { error: { code: 'ResourceNotFound', message: 'No such VM.' } });
    if (phase !== 'snapshot' && phase !== 'transfer')
      return send(400, { error: { code: 'InvalidInput', message: 'phase is snapshot or transfer.' } });
    ctx.world.plannedFailures.set(vm.name.toLowerCase(), phase);
    return send(200, { vm: vm.name, phase });
  }
  send(404, { error: { code: 'NotFound', message: 'No such control route.' } });
}
