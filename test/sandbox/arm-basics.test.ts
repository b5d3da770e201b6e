import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxClient } from './sandbox-client.js';
import { SUB, VAULT, openSandbox } from './sandbox-client.js';

/** What every ARM answer of the sandbox shares: authentication, headers, error bodies, path matching. */
describe('sandbox ARM basics', () => {
  let c: SandboxClient;
  beforeEach(async () => {
    c = await openSandbox();
  });
  afterEach(() => c.close());

  it('refuses a request without a bearer token with 401 AuthenticationFailed', async () => {
    const r = await c.call('GET', `${VAULT}/backupJobs`, undefined, { auth: false });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      error: {
        code: 'AuthenticationFailed',
        message: "Authentication failed. The 'Authorization' header is missing.",
      },
    });
  });

  it('accepts any bearer token and any api-version', async () => {
    const r = await c.call('GET', `${VAULT}?api-version=2099-01-01-preview`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: 'rsv-westus',
      location: 'westus',
      sku: { name: 'Standard' },
    });
  });

  it('refuses a request without api-version as ARM does', async () => {
    const r = await c.call('GET', VAULT, undefined, { noApiVersion: true });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('MissingApiVersionParameter');
  });

  it('sends request ids and rate-limit counters on every answer, errors included', async () => {
    for (const r of [await c.call('GET', VAULT), await c.call('GET', `${SUB}/resourceGroups/nope`)]) {
      expect(r.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['x-ms-correlation-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(r.headers['x-ms-ratelimit-remaining-subscription-reads'])).toBeGreaterThan(0);
    }
    const put = await c.call('PUT', `${SUB}/resourcegroups/rg-new`, { location: 'westus' });
    expect(Number(put.headers['x-ms-ratelimit-remaining-subscription-writes'])).toBeGreaterThan(0);
  });

  it('answers missing things with the ARM error code of what is missing', async () => {
    const code = async (path: string) => {
      const r = await c.call('GET', path);
      expect(r.status).toBe(404);
      expect(Object.keys(r.body)).toEqual(['error']);
      expect(typeof r.body.error.message).toBe('string');
      return r.body.error.code as string;
    };
    expect(await code(`/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups`)).toBe(
      'SubscriptionNotFound',
    );
    expect(await code(`${SUB}/resourceGroups/nope/providers/Microsoft.RecoveryServices/vaults/x`)).toBe(
      'ResourceGroupNotFound',
    );
    expect(await code(`${SUB}/resourceGroups/rg-chatops/providers/Microsoft.RecoveryServices/vaults/x`)).toBe(
      'ResourceNotFound',
    );
    expect(await code(`${SUB}/resourceGroups/rg-chatops/providers/Microsoft.Storage/storageAccounts`)).toBe(
      'InvalidResourceType',
    );
    expect(
      await code(
        `${VAULT}/backupFabrics/Azure/protectionContainers/${encodeURIComponent('IaasVMContainer;iaasvmcontainerv2;rg-workloads;web-linux-01')}/protectedItems/${encodeURIComponent('VM;iaasvmcontainerv2;rg-workloads;web-linux-01')}`,
      ),
    ).toBe('BMSUserErrorDataSourceObjectNotFound');
    expect(await code(`${VAULT}/backupJobs/00000000-0000-0000-0000-000000000000`)).toBe(
      'BMSUserErrorJobNotFound',
    );
  });

  it('matches path segments case-insensitively and decodes names, as Azure does', async () => {
    const upper = VAULT.replace('/subscriptions/', '/Subscriptions/').replace(
      '/resourceGroups/',
      '/RESOURCEGROUPS/',
    );
    expect((await c.call('GET', upper)).status).toBe(200);
    // Item names arrive in any case, with the resource group lower-cased, and with ';' encoded or not.
    const item = `${VAULT}/backupFabrics/azure/protectionContainers/iaasvmcontainer%3Biaasvmcontainerv2%3Brg-workloads%3Bmyvm/protectedItems/vm;iaasvmcontainerv2;rg-workloads;myvm`;
    const r = await c.call('GET', item);
    expect(r.status).toBe(200);
    expect(r.body.name).toBe('VM;iaasvmcontainerv2;rg-workloads;myvm');
  });

  it('refuses a body that is not JSON with 400 InvalidRequestContent, and a wrong method with 405', async () => {
    const bad = await c.call('PUT', `${VAULT}/backupPolicies/p1`, undefined, { rawBody: '{not json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('InvalidRequestContent');
    const patch = await c.call('PATCH', `${VAULT}/backupJobs`);
    expect(patch.status).toBe(405);
    expect(patch.body.error.code).toBe('MethodNotAllowed');
  });

  it('logs every ARM request with its status, control routes excluded', async () => {
    await c.call('GET', VAULT);
    await c.call('GET', VAULT, undefined, { auth: false });
    await c.call('GET', `${c.sb.url}/_sandbox/health`);
    expect(c.sb.requestLog.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'GET 401']);
    expect(c.sb.requestLog[0]!.path).toBe(VAULT);
  });
});
