import type { Sandbox } from '../../src/sandbox/server.js';

/** Adds `count` protected VMs named `${prefix}-0…` to the sandbox's default vault (see addFleet). */
export function addProtectedVms(sandbox: Sandbox, prefix: string, count: number): string[] {
  return sandbox.addFleet({ prefix, vms: count }).map((f) => f.vm);
}

/** Backup-trigger POSTs the sandbox accepted (202), per VM name (lower case). */
export function acceptedTriggers(sandbox: Sandbox): Map<string, number> {
  const byVm = new Map<string, number>();
  for (const r of sandbox.requestLog) {
    const m = /\/protectedItems\/VM;iaasvmcontainerv2;[^;/]+;([^/]+)\/backup$/i.exec(
      decodeURIComponent(r.path),
    );
    if (r.method !== 'POST' || !m || r.status !== 202) continue;
    const vm = m[1]!.toLowerCase();
    byVm.set(vm, (byVm.get(vm) ?? 0) + 1);
  }
  return byVm;
}

/** Backup jobs the sandbox started from a request (user-triggered), per VM name (lower case). */
export function startedBackups(sandbox: Sandbox): Map<string, number> {
  const byVm = new Map<string, number>();
  for (const j of sandbox.world.jobs) {
    if (j.operation !== 'Backup' || !j.isUserTriggered) continue;
    byVm.set(j.vmName.toLowerCase(), (byVm.get(j.vmName.toLowerCase()) ?? 0) + 1);
  }
  return byVm;
}
