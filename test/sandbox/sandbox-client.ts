import { request } from 'node:https';
import { expect } from 'vitest';
import { SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server.js';
import { startSandbox } from '../../src/sandbox/server.js';

/**
 * Plain HTTPS access to a sandbox (no SDK): what a test needs to drive it as a client of ARM would.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ARM JSON, read field by field in the assertions
export type Json = any;

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
}

export const SUB = `/subscriptions/${SANDBOX_SUBSCRIPTION_ID}`;
export const VAULT = `${SUB}/resourceGroups/rg-chatops/providers/Microsoft.RecoveryServices/vaults/rsv-westus`;
export const vmId = (rg: string, vm: string): string =>
  `${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${vm}`;
/** A protected item's path, with the names URL-encoded as the SDK sends them. */
export const itemPath = (rg: string, vm: string, vault = VAULT): string =>
  `${vault}/backupFabrics/Azure/protectionContainers/${encodeURIComponent(`IaasVMContainer;iaasvmcontainerv2;${rg};${vm}`)}/protectedItems/${encodeURIComponent(`VM;iaasvmcontainerv2;${rg};${vm}`)}`;
export const DAY_MS = 86_400_000;

export interface CallOptions {
  auth?: boolean;
  /** Leave the api-version out. */
  noApiVersion?: boolean;
  /** Send this text as the body instead of JSON. */
  rawBody?: string;
}

export interface SandboxClient {
  sb: Sandbox;
  call(method: string, path: string, body?: unknown, options?: CallOptions): Promise<Answer>;
  /** Follows a 202's Azure-AsyncOperation URL until the operation leaves InProgress. */
  finalStatus(accepted: Answer): Promise<Json>;
  /** Follows a 202's Location URL until it stops answering 202. */
  finalResult(accepted: Answer): Promise<Answer>;
  /** POST …/backup for a VM of rg-workloads. */
  trigger(vm?: string, expiry?: Date | string): Promise<Answer>;
  /** Enables protection and returns the final operation status. */
  enable(rg: string, vm: string, policy: string): Promise<Answer>;
  /** Refreshes the vault's containers and waits for the refresh to finish. */
  refresh(): Promise<void>;
  /** Job details' properties. */
  job(id: string): Promise<Json>;
  close(): Promise<void>;
}

/** A fresh sandbox with a stopped clock, no Retry-After waits and no request budget, unless overridden. */
export async function openSandbox(options: SandboxOptions = {}): Promise<SandboxClient> {
  const sb = await startSandbox({
    clockSpeed: 0,
    asyncRetryAfterSeconds: 0,
    rateLimit: false,
    ...options,
  });

  const call: SandboxClient['call'] = (method, path, body, opts = {}) =>
    new Promise((resolve, reject) => {
      const url = new URL(path.startsWith('https://') ? path : `${sb.url}${path}`);
      if (!opts.noApiVersion && !url.searchParams.has('api-version')) {
        url.searchParams.set('api-version', '2023-06-01');
      }
      const req = request(
        url,
        {
          method,
          ca: sb.certificatePem,
          headers: {
            ...(opts.auth === false ? {} : { authorization: 'Bearer any-token' }),
            'content-type': 'application/json',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text ? JSON.parse(text) : undefined,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)));
    });

  const finalStatus: SandboxClient['finalStatus'] = async (accepted) => {
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    for (let i = 0; i < 20; i++) {
      const s = await call('GET', String(accepted.headers['azure-asyncoperation']));
      if (s.body.status !== 'InProgress') return s.body;
    }
    throw new Error('operation never finished');
  };

  const finalResult: SandboxClient['finalResult'] = async (accepted) => {
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    for (let i = 0; i < 20; i++) {
      const r = await call('GET', String(accepted.headers.location));
      if (r.status !== 202) return r;
    }
    throw new Error('operation never finished');
  };

  return {
    sb,
    call,
    finalStatus,
    finalResult,
    trigger: (vm = 'myVM', expiry = new Date(sb.clock.now().getTime() + 30 * DAY_MS)) =>
      call('POST', `${itemPath('rg-workloads', vm)}/backup`, {
        properties: {
          objectType: 'IaasVMBackupRequest',
          recoveryPointExpiryTimeInUTC: typeof expiry === 'string' ? expiry : expiry.toISOString(),
        },
      }),
    enable: (rg, vm, policy) =>
      call('PUT', itemPath(rg, vm), {
        properties: {
          protectedItemType: 'Microsoft.Compute/virtualMachines',
          sourceResourceId: vmId(rg, vm),
          policyId: `${VAULT}/backupPolicies/${policy}`,
        },
      }),
    refresh: async () => {
      const r = await finalResult(await call('POST', `${VAULT}/backupFabrics/Azure/refreshContainers`));
      expect(r.status).toBe(204);
    },
    job: async (id) => (await call('GET', `${VAULT}/backupJobs/${id}`)).body.properties,
    close: () => sb.close(),
  };
}

/** "Take Snapshot:Completed, Transfer data to vault:InProgress" */
export const tasksOf = (p: { extendedInfo: { tasksList: { taskId: string; status: string }[] } }): string =>
  p.extendedInfo.tasksList.map((t) => `${t.taskId}:${t.status}`).join(', ');
