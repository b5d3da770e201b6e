import type { AcceptedOperation } from '../../src/domain/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubscriptionFleet } from '../../src/azure/subscription-fleet.js';
import { createBackupService } from '../../src/azure/create-backup-service.js';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import { pointDetail } from '../../src/cards/present-protection.js';
import { toJobView } from '../../src/chat/job-view.js';
import { loadConfig } from '../../src/config.js';
import { visibleText } from '../cards/card-actions.js';
import type { RecordedArm } from './recorded-arm.js';
import { startRecordedArm } from './recorded-arm.js';
import type { Json, RecordedExchange } from './recorded-fixtures.js';
import { exchange, recorded } from './recorded-fixtures.js';

/**
 * The backup service, on the official SDK clients, against responses recorded from real Azure
 * (test/fixtures/recorded-azure): the requests it sends are the recorded ones (method, path,
 * body), and the awkward answers (IRPending, placeholder times, PT0S, soft delete, three-task
 * jobs) come out right in what it returns and in the cards.
 */
const SUB = '00000000-0000-0000-0000-000000000000';
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg-rec/providers/Microsoft.RecoveryServices/vaults/rsv-rec`;
const ITEM = `${VAULT}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-rec;vm-rec/protectedItems`;
const SDK_API_VERSION = '2023-06-01';
const DEFAULTS = {
  subscriptionId: SUB,
  vaultName: 'rsv-rec',
  vaultResourceGroup: 'rg-rec',
  portalLinks: false,
};

const answer = (e: RecordedExchange) => ({
  status: e.response.status,
  headers: e.response.headers,
  body: e.response.body,
});
const listOf = (...items: unknown[]) => ({ status: 200, body: { value: items } });
const firstOf = (e: RecordedExchange) => (e.response.body as { value: Json[] }).value[0]!;

describe('the backup service against recorded Azure responses', () => {
  let arm: RecordedArm;
  let service: SubscriptionFleet;

  beforeEach(async () => {
    arm = await startRecordedArm();
    const azure = loadConfig({}).azure;
    service = createBackupService({
      azure: {
        ...azure,
        subscriptionId: SUB,
        vaultName: 'rsv-rec',
        vaultResourceGroup: 'rg-rec',
        retry: { maxRetries: 0, retryDelayInMs: 5, maxRetryDelayInMs: 5 },
        operationPollMaxIntervalMs: 5,
        operationTimeoutMs: 5_000,
        restore: { stagingStorageAccounts: ['rg-rec/sarec'], subnets: ['rg-rec-target/vnet-rec/snet-rec'] },
      },
      sandbox: { url: arm.url, certificatePem: arm.certificatePem },
      now: () => new Date('2026-07-25T08:39:00Z'),
    });
    serveTheWorld(arm);
  });
  afterEach(() => arm.close());

  const sent = (method: string, path: RegExp) =>
    arm.requests.filter((r) => r.method === method && path.test(r.path));

  it('enables backup addressing the item by the protectable item’s id, with the recorded body, and reads IRPending as "no backup yet"', async () => {
    const put = exchange(recorded('protection.enable-put'), 'PUT', /protectedItems/);
    const status = recorded('protection.enable-operation-status');
    arm.on('PUT', /\/protectedItems\/vm;iaasvmcontainerv2;rg-rec;vm-rec$/i, [answer(put)]);
    arm.on('GET', /\/backupOperations\//, [
      answer(exchange(status, 'GET', /backupOperations/, 0)),
      answer(exchange(status, 'GET', /backupOperations/, 3)),
    ]);
    const irPending = exchange(recorded('protection.item-irpending'), 'GET', /backupProtectedItems/);
    // Not protected before the PUT; IRPending after, as recorded.
    arm.on('GET', /\/backupProtectedItems$/, [listOf(), answer(irPending)]);

    const r = await service.enableProtection({ vm: 'vm-rec', policy: 'DefaultPolicy' });

    const [request] = sent('PUT', /\/protectedItems\//);
    expect(request).toBeDefined();
    // The path the recording's PUT took, decoded: container and item from the protectable item's id.
    expect(request!.path).toBe(decodeURIComponent(put.request.path));
    expect(request!.query['api-version']).toBe(SDK_API_VERSION);
    expect(request!.body).toEqual(put.request.body);
    // Followed as az CLI does: the vault's backupOperations/{id}, the id from Azure-AsyncOperation.
    const opId = new URL(put.response.headers['azure-asyncoperation']!).pathname.split('/').pop();
    expect(sent('GET', /\/backupOperations\//).map((p) => p.path)).toEqual([
      `${VAULT}/backupOperations/${opId}`,
      `${VAULT}/backupOperations/${opId}`,
    ]);
    expect(sent('GET', /\/operationsStatus\//)).toEqual([]);
    expect(r.jobId).toBe('babde0e1-60a2-4b6c-a7da-4d40d0d0260c');
    expect(r.vm.protection).toMatchObject({ state: 'IRPending', policyName: 'DefaultPolicy' });
    expect(r.vm.protection.lastBackupTime).toBeUndefined();
    expect(r.vm.protection.lastBackupStatus).toBeUndefined();
    // The agent came from the VM's own instance view (2.9.0.4), not a listing.
    expect(r.vm).toMatchObject({ agentChecked: true, agentVersion: '2.9.0.4' });
    const list = visibleText(
      renderAdaptiveCard({ kind: 'vm-list', vault: await service.getVault(), vms: [r.vm] }),
    );
    expect(list).toContain('first backup pending');
    expect(list).toContain('no backup yet');
    expect(list).not.toMatch(/2001/);
  });

  it('lists VMs without claiming an agent it did not read', async () => {
    const { vms } = await service.listVms();
    expect(vms).toHaveLength(1);
    expect(vms[0]).toMatchObject({
      name: 'vm-rec',
      agentChecked: false,
      agent: { ok: true, checked: false },
    });
    expect(sent('GET', /\/instanceView$/)).toHaveLength(0);
  });

  it('backs up now with the recorded request body and follows the 202 to the three-task job', async () => {
    const trigger = recorded('backup.trigger');
    const post = exchange(trigger, 'POST', /\/backup$/);
    arm.on('GET', /\/backupProtectedItems$/, [answer(exchange(trigger, 'GET', /backupProtectedItems/))]);
    arm.on('POST', /\/protectedItems\/VM;iaasvmcontainerv2;rg-rec;vm-rec\/backup$/i, [answer(post)]);
    arm.on('GET', /\/backupOperations\//, [answer(exchange(trigger, 'GET', /backupOperations/))]);
    arm.on('GET', /\/backupJobs\/[^/]+$/, [
      answer(exchange(recorded('jobs.details-in-progress'), 'GET', /backupJobs/, 0)),
    ]);

    const r = await service.backupNow({ vm: 'vm-rec', retain: { until: '2026-08-24' } });

    const [request] = sent('POST', /\/backup$/);
    expect(request!.path).toBe(decodeURIComponent(post.request.path));
    const body = request!.body as { properties: Json };
    const recordedBody = post.request.body as { properties: Json };
    expect(Object.keys(body.properties).sort()).toEqual(Object.keys(recordedBody.properties).sort());
    expect(body.properties.objectType).toBe(recordedBody.properties.objectType);
    // Same format as recorded; the bot keeps the point through the whole last day.
    expect(body.properties.recoveryPointExpiryTimeInUTC).toBe('2026-08-24T23:59:59.000Z');
    expect(r.job).toMatchObject({
      status: 'InProgress',
      phases: { snapshot: { status: 'InProgress' }, transfer: { status: 'NotStarted' } },
    });
    // The recorded transfer has placeholder times and PT0S: none of them are facts.
    expect(r.job.phases!.transfer).toEqual({ name: 'Transfer data to vault', status: 'NotStarted' });
    expect(r.job.phases!.snapshot.endTime).toBeUndefined();
  });

  it('keeps the status Azure gives and never shows placeholder times or PT0S as real', async () => {
    const read = async (e: RecordedExchange) => {
      arm.on('GET', /\/backupJobs\/[^/]+$/, [answer(e)]);
      return service.getJob((e.response.body as Json).name as string);
    };
    // 2025: three tasks; both phases done while Azure still validates: the job is in progress.
    const validating = await read(exchange(recorded('jobs.details-in-progress'), 'GET', /backupJobs/, 3));
    expect(validating.phases?.transfer.status).toBe('Completed');
    expect(validating.status).toBe('InProgress');
    // 2022: no task times and PT0S durations.
    const old = await read(exchange(recorded('jobs.details-in-progress-2022'), 'GET', /backupJobs/, 0));
    expect(old.phases?.snapshot).toEqual({ name: 'Take Snapshot', status: old.phases?.snapshot.status });
    const card = visibleText(renderAdaptiveCard(toJobView(old, DEFAULTS, new Date('2022-05-13T10:20:00Z'))));
    expect(card).not.toMatch(/0001|took 0s|0 s\b/);
    // A job Azure calls Failed stays Failed, even with a task still listed InProgress (its status
    // is the recorded in-progress job's, changed: no failed job was recorded).
    const running = exchange(recorded('jobs.details-in-progress'), 'GET', /backupJobs/, 0);
    const failed = structuredClone(running);
    ((failed.response.body as Json).properties as Json).status = 'Failed';
    expect((await read(failed)).status).toBe('Failed');
    // ConfigureBackup: an empty task list, no phases.
    const configure = await read(exchange(recorded('jobs.details-configure-backup'), 'GET', /backupJobs/, 0));
    expect(configure).toMatchObject({ operation: 'ConfigureBackup', status: 'Completed' });
    expect(configure.phases).toBeUndefined();
  });

  it('reads job lists without isUserTriggered', async () => {
    arm.on('GET', /\/backupJobs$/, [answer(exchange(recorded('jobs.list'), 'GET', /backupJobs$/, 0))]);
    const jobs = await service.listJobs();
    expect(jobs.length).toBeGreaterThan(1);
    for (const j of jobs) expect(j.isUserTriggered).toBeUndefined();
  });

  it('stops backup keeping data with the recorded body', async () => {
    const stop = recorded('protection.stop-retain');
    const put = exchange(stop, 'PUT', /protectedItems/);
    arm.on('GET', /\/backupProtectedItems$/, [
      answer(exchange(recorded('protection.item-irpending'), 'GET', /backupProtectedItems/)),
    ]);
    arm.on('PUT', /\/protectedItems\/VM;iaasvmcontainerv2;rg-rec;vm-rec$/i, [answer(put)]);
    arm.on('GET', /\/backupOperations\//, [answer(exchange(stop, 'GET', /backupOperations/, 2))]);
    const r = await service.stopProtection({ vm: 'vm-rec', deleteData: false });
    expect(r).toMatchObject({ deletedData: false, jobId: 'a2ed64c8-8705-4e9b-8fee-ce1d5dc5e38a' });
    const [request] = sent('PUT', /\/protectedItems\//);
    expect(request!.path).toBe(decodeURIComponent(put.request.path));
    expect(request!.body).toEqual(put.request.body);
  });

  it('dates the purge by the item’s softDeleteRetentionPeriod (an unmapped name), else the vault’s setting, never a fixed 14 days', async () => {
    // The recorded soft-deleted item (CLI 2026) with the retention of a vault set to 30 days; the
    // property name is the live one (PowerShell 2025 items carry it too, 0 while not deleted).
    const soft = structuredClone(
      firstOf(exchange(recorded('protection.soft-deleted-item'), 'GET', /backupProtectedItems/)),
    );
    const props = soft.properties as Json;
    const deletedAt = Date.parse(props.deferredDeleteTimeInUTC as string);
    arm.on('GET', /\/backupProtectedItems$/, [
      listOf({ ...soft, properties: { ...props, softDeleteRetentionPeriod: 30 } }),
    ]);
    expect((await service.getVm('vm-rec')).protection.softDeleted?.purgeAt).toBe(
      new Date(deletedAt + 30 * 86_400_000).toISOString(),
    );
    // Without it on the item, the vault's setting (the PowerShell vault's shape, set to 45 days) decides.
    const vaultRec = structuredClone(
      exchange(recorded('powershell.redo-protection-second-vault'), 'GET', /vaults\/rsv-ps$/).response
        .body as Json,
    );
    (
      (vaultRec.properties as Json).securitySettings as { softDeleteSettings: Json }
    ).softDeleteSettings.softDeleteRetentionPeriodInDays = 45;
    arm.on('GET', new RegExp(`${VAULT}$`), [
      { status: 200, body: { ...vaultRec, id: VAULT, name: 'rsv-rec', location: 'centralus' } },
    ]);
    arm.on('GET', /\/backupProtectedItems$/, [
      listOf({ ...soft, properties: { ...props, softDeleteRetentionPeriod: 0 } }),
    ]);
    expect((await service.getVm('vm-rec')).protection.softDeleted?.purgeAt).toBe(
      new Date(deletedAt + 45 * 86_400_000).toISOString(),
    );
  });

  it('deletes data under soft delete and says until when it can be undeleted; then undeletes before enabling', async () => {
    const del = recorded('protection.delete-soft-delete-202');
    const soft = exchange(recorded('protection.soft-deleted-item'), 'GET', /backupProtectedItems/);
    arm.on('GET', /\/backupProtectedItems$/, [
      answer(exchange(recorded('protection.item-irpending'), 'GET', /backupProtectedItems/)),
      answer(soft),
    ]);
    arm.on('DELETE', /\/protectedItems\/VM;iaasvmcontainerv2;rg-rec;vm-rec$/i, [
      answer(exchange(del, 'DELETE', /protectedItems/)),
    ]);
    arm.on('GET', /\/backupOperations\//, [answer(exchange(del, 'GET', /backupOperations/, 2))]);
    const r = await service.stopProtection({ vm: 'vm-rec', deleteData: true });
    const deletedAt = (firstOf(soft).properties as Json).deferredDeleteTimeInUTC as string;
    const until = new Date(Date.parse(deletedAt) + 14 * 86_400_000).toISOString();
    expect(r).toMatchObject({ deletedData: true, softDeletedUntil: until });
    const card = visibleText(renderAdaptiveCard({ kind: 'stop-backup', vaultName: 'rsv-rec', result: r }));
    expect(card).toContain('Soft delete keeps it until');

    // Enabling again: the recorded undelete PUT first, then the enable.
    const undelete = recorded('protection.undelete-put');
    arm.on('GET', /\/backupProtectedItems$/, [
      answer(soft),
      answer(soft),
      answer(exchange(undelete, 'GET', /backupProtectedItems/)),
    ]);
    arm.on('PUT', /\/protectedItems\/VM;iaasvmcontainerv2;rg-rec;vm-rec$/i, [
      answer(exchange(undelete, 'PUT', /protectedItems/)),
    ]);
    arm.on('GET', /\/backupOperations\//, [answer(exchange(undelete, 'GET', /backupOperations/, 2))]);
    const enabled = await service.enableProtection({ vm: 'vm-rec', policy: 'DefaultPolicy' });
    expect(enabled.undeleted).toBe(true);
    const puts = sent('PUT', /\/protectedItems\//);
    expect(puts).toHaveLength(2);
    expect(puts[0]!.body).toEqual({
      properties: {
        ...((exchange(undelete, 'PUT', /protectedItems/).request.body as Json).properties as Json),
      },
    });
    expect((puts[1]!.body as { properties: Json }).properties.policyId).toMatch(
      /backupPolicies\/DefaultPolicy$/,
    );
  });

  it('discovers a VM by refreshing containers and following the Location to its 204', async () => {
    const refresh = recorded('discovery.refresh');
    const list = recorded('protection.protectable-items-list');
    arm.on('GET', /\/backupProtectedItems$/, [listOf()]);
    arm.on('GET', /\/backupProtectableItems$/, [
      answer(exchange(list, 'GET', /backupProtectableItems/, 0)),
      answer(exchange(list, 'GET', /backupProtectableItems/, 1)),
    ]);
    arm.on('POST', /\/refreshContainers$/, [answer(exchange(refresh, 'POST', /refreshContainers/))]);
    arm.on('GET', /\/backupFabrics\/Azure\/operationResults\//, refresh.exchanges.slice(1).map(answer));
    arm.on('PUT', /\/protectedItems\//, [
      answer(exchange(recorded('protection.enable-put'), 'PUT', /protectedItems/)),
    ]);
    arm.on('GET', /\/backupOperations\//, [
      answer(exchange(recorded('protection.enable-operation-status'), 'GET', /backupOperations/, 3)),
    ]);
    await service.enableProtection({ vm: 'vm-rec', policy: 'DefaultPolicy' });
    expect(sent('POST', /\/refreshContainers$/)).toHaveLength(1);
    expect(sent('GET', /\/backupFabrics\/Azure\/operationResults\//)).toHaveLength(3);
    expect(sent('PUT', /\/protectedItems\//)[0]!.path).toBe(`${ITEM}/vm;iaasvmcontainerv2;rg-rec;vm-rec`);
  });

  it('creates a vault as recorded: 201 Provisioning, followed to Succeeded, soft delete read', async () => {
    const rec = recorded('vault.create-lro');
    const [missing, put, running, succeeded, final] = rec.exchanges as [
      RecordedExchange,
      RecordedExchange,
      RecordedExchange,
      RecordedExchange,
      RecordedExchange,
    ];
    arm.on('HEAD', /\/resourcegroups\/rg-rec$/i, [{ status: 204 }]);
    arm.on('GET', new RegExp(`${VAULT}$`), [answer(missing), answer(final)]);
    arm.on('PUT', new RegExp(`${VAULT}$`), [answer(put)]);
    arm.on('GET', /\/operationStatus\//, [answer(running), answer(succeeded)]);
    const r = await service.createVault({
      name: 'rsv-rec',
      location: 'centraluseuap',
      resourceGroup: 'rg-rec',
    });
    expect(r.created).toBe(true);
    expect(r.vault).toMatchObject({
      name: 'rsv-rec',
      provisioningState: 'Succeeded',
      softDelete: { enabled: true, retentionDays: 14 },
    });
    const [request] = sent('PUT', new RegExp(`${VAULT}$`));
    const body = request!.body as Json;
    const recordedBody = put.request.body as Json;
    expect(body.location).toBe(recordedBody.location);
    expect(body.sku).toEqual(recordedBody.sku);
    // Only what az CLI sends too: the vault takes Azure's defaults (soft delete AlwaysON) for the rest.
    for (const key of Object.keys(body.properties as Json))
      expect(recordedBody.properties).toHaveProperty(key);
    expect(sent('GET', /\/operationStatus\//)).toHaveLength(2);
  });

  it('creates a standard daily policy with the recorded body shape; a 200 needs no following', async () => {
    const rec = exchange(recorded('policies.create-put'), 'PUT', /backupPolicies/);
    arm.on('PUT', /\/backupPolicies\/policy-rec$/, [answer(rec)]);
    arm.on('GET', /\/backupPolicies\/policy-rec$/, [{ status: 200, body: rec.response.body }]);
    const policy = await service.createPolicy({
      name: 'policy-rec',
      kind: 'Standard',
      schedule: { frequency: 'Daily', time: '20:00' },
      instantRestoreDays: 2,
      retention: { dailyDays: 30 },
    });
    expect(policy).toMatchObject({ name: 'policy-rec', kind: 'Standard' });
    const [request] = sent('PUT', /\/backupPolicies\/policy-rec$/);
    const props = (request!.body as { properties: Json }).properties;
    const recordedProps = (rec.request.body as { properties: Json }).properties;
    for (const key of [
      'backupManagementType',
      'schedulePolicy',
      'retentionPolicy',
      'instantRpRetentionRangeInDays',
      'timeZone',
    ]) {
      expect(props[key], key).toBeDefined();
    }
    expect(props.schedulePolicy).toMatchObject({
      schedulePolicyType: (recordedProps.schedulePolicy as Json).schedulePolicyType,
      scheduleRunFrequency: 'Daily',
    });
    expect((props.retentionPolicy as Json).retentionPolicyType).toBe('LongTermRetentionPolicy');
    expect(((props.retentionPolicy as Json).dailySchedule as Json).retentionDuration).toEqual({
      count: 30,
      durationType: 'Days',
    });
    expect(sent('GET', /\/operations\/|\/operationResults\//)).toEqual([]);
  });

  it("filters job lists in the service's own format", async () => {
    arm.on('GET', /\/backupJobs$/, [answer(exchange(recorded('jobs.list'), 'GET', /backupJobs$/, 1))]);
    await service.listJobs({ status: 'InProgress' });
    const [request] = sent('GET', /\/backupJobs$/);
    const recordedFilter = exchange(recorded('jobs.list'), 'GET', /backupJobs$/, 1).request.query?.[
      '$filter'
    ];
    // The CLI's recorded `status eq 'InProgress'`, with the management type every call of the bot adds.
    expect(recordedFilter).toBe("status eq 'InProgress'");
    expect(request!.query.$filter).toBe("backupManagementType eq 'AzureIaasVM' and status eq 'InProgress'");
  });

  it('reads the job list PowerShell filtered (TestAzureVMGetJobsTimeFilter.json): failed items keep their errors, a running one has no end', async () => {
    const rec = exchange(recorded('powershell.jobs-time-filter'), 'GET', /backupJobs$/);
    arm.on('GET', /\/backupJobs$/, [answer(rec)]);
    const jobs = await service.listJobs({ since: new Date('2025-01-05T02:52:09Z') });
    expect(jobs.map((j) => j.status)).toEqual(['Failed', 'InProgress', 'Failed']);
    expect(jobs[0]!.errors).toEqual([
      {
        code: 'UserErrorBackupOperationInProgress',
        message: 'Unable to initiate backup as another backup operation is currently in progress.',
        recommendations: [expect.stringContaining('Please wait until the previous backup operation')],
      },
    ]);
    expect(jobs[2]!.errors[0]!.code).toBe('VMCreationTimeOutStorageErrorV2');
    expect(jobs[1]!.endTime).toBeUndefined();
    // The bot's own form of the filter: no empty operation, the same 12-hour UTC times PowerShell sends.
    const [request] = sent('GET', /\/backupJobs$/);
    expect(request!.query.$filter).toBe(
      "backupManagementType eq 'AzureIaasVM' and startTime eq '2025-01-05 02:52:09 AM' and endTime eq '2026-07-25 08:39:00 AM'",
    );
  });

  describe('restores (test_backup_restore.yaml)', () => {
    /** The restore's own reads and writes, answered as recorded; the vault in `region`. */
    const serveRestore = (trigger: RecordedExchange, region: string, pointIndex: number) => {
      const calls = recorded('restore.cli-call-sequence');
      const vault = structuredClone(exchange(calls, 'GET', /vaults\/rsv-rec$/).response.body as Json);
      vault.location = region;
      arm.on('GET', new RegExp(`${VAULT}$`), [{ status: 200, body: vault }]);
      arm.on('GET', /\/backupProtectedItems$/, [answer(exchange(calls, 'GET', /backupProtectedItems/))]);
      const point = exchange(recorded('restore.recovery-point-get'), 'GET', /recoveryPoints\//, pointIndex);
      arm.on('GET', /\/recoveryPoints$/, [listOf(point.response.body)]);
      const account = structuredClone(
        exchange(calls, 'GET', /Microsoft\.Storage\/storageAccounts\/sarec$/).response.body as Json,
      );
      account.location = region;
      arm.on('GET', /\/providers\/Microsoft\.Storage\/storageAccounts\/sarec$/i, [
        { status: 200, body: account },
      ]);
      arm.on('HEAD', /\/resourcegroups\/rg-rec-target$/i, [{ status: 204 }]);
      arm.on('GET', /\/virtualMachines\/vm-rec-restored$/, [
        { status: 404, body: { error: { code: 'ResourceNotFound', message: 'not found' } } },
      ]);
      arm.on('POST', /\/restore$/, [answer(trigger)]);
      const fixture = [
        trigger.request.path.includes('17523471602712') ? 'restore.trigger-restore-disks' : '',
      ];
      const follow = recorded(fixture[0] || 'restore.operation-status');
      const opId = new URL(trigger.response.headers['azure-asyncoperation']!).pathname.split('/').pop()!;
      const status = follow.exchanges.find((e) => e.request.path.endsWith(`/backupOperations/${opId}`))!;
      // SDK 12's restore poller reads the Azure-AsyncOperation URL once (and then the Location's
      // result); the bot then follows the vault's backupOperations, as az CLI does.
      arm.on('GET', /\/operationsStatus\//, [answer(status)]);
      arm.on('GET', /\/operationResults\//, [{ status: 204 }]);
      arm.on('GET', /\/backupOperations\//, [answer(status)]);
      return opId;
    };
    const restoreSent = () => sent('POST', /\/restore$/);

    it('new VM: the recorded AlternateLocation request, followed on backupOperations to the two-task job', async () => {
      const alr = recorded('restore.trigger-alternate-location');
      const trigger = exchange(alr, 'POST', /\/restore$/);
      const opId = serveRestore(trigger, 'eastus2euap', 0);
      arm.on('GET', /\/virtualNetworks\/vnet-rec$/, [answer(exchange(alr, 'GET', /virtualNetworks/))]);
      arm.on('GET', /\/backupJobs\/[^/]+$/, [answer(exchange(alr, 'GET', /backupJobs/))]);

      const r = await service.restore({
        vm: 'vm-rec',
        point: { id: '1103996678573089' },
        kind: 'AlternateLocation',
        targetVmName: 'vm-rec-restored',
        targetResourceGroup: 'rg-rec-target',
      });

      const [request] = restoreSent();
      expect(request!.path).toBe(decodeURIComponent(trigger.request.path));
      expect(request!.query['api-version']).toBe(SDK_API_VERSION);
      expect(request!.body).toEqual(trigger.request.body);
      expect(sent('GET', /\/backupOperations\//).map((x) => x.path)).toEqual([
        `${VAULT}/backupOperations/${opId}`,
      ]);
      expect(r.job).toMatchObject({
        id: opId,
        operation: 'Restore',
        status: 'InProgress',
        tasks: [
          { name: 'Transfer data from vault', status: 'InProgress' },
          { name: 'Create the restored virtual machine', status: 'NotStarted' },
        ],
        restore: {
          kind: 'AlternateLocation',
          targetVmName: 'vm-rec-restored',
          targetResourceGroup: 'rg-rec-target',
          targetVnet: 'Group rg-rec-target vnet-rec',
        },
      });
      // The job's own subscription, from its recorded resource id (watches go back to it).
      expect(r.job.vaultSubscription).toBe('00000000-0000-0000-0000-000000000000');
      // "Recovery point time " was null in this first read, as recorded.
      expect(r.job.restore?.recoveryPointTime).toBeUndefined();
    });

    it('replace disks: the recorded OriginalLocation request, without target ids', async () => {
      const olr = recorded('restore.trigger-original-location');
      const trigger = exchange(olr, 'POST', /\/restore$/);
      const opId = serveRestore(trigger, 'eastus2euap', 0);
      arm.on('GET', /\/backupJobs\/[^/]+$/, [answer(exchange(olr, 'GET', /backupJobs/))]);
      const accepted: AcceptedOperation[] = [];

      const r = await service.restore(
        { vm: 'vm-rec', point: { latest: true }, kind: 'OriginalLocation' },
        { onAccepted: async (op) => void accepted.push(op) },
      );

      expect(restoreSent()[0]!.body).toEqual(trigger.request.body);
      // On record from the recorded 202's Azure-AsyncOperation id; a successor reads the job it
      // started from the recorded operation status (properties.jobId).
      expect(accepted).toEqual([
        {
          kind: 'backup-operation',
          vault: 'rsv-rec',
          resourceGroup: 'rg-rec',
          operationId: opId,
          startsJob: true,
        },
      ]);
      expect(await service.followAccepted(accepted[0]!)).toEqual({ state: 'succeeded', jobId: r.job.id });
      expect(r.job.restore).toEqual({
        kind: 'OriginalLocation',
        jobType: 'Replace disks',
        recoveryPointTime: '2026-07-26T13:16:55.000Z',
        storageAccount: 'sarec',
      });
      expect(sent('GET', /\/virtualNetworks\//)).toEqual([]);
    });

    it('restore disks, answered as PowerShell’s 2024 record (TestAzureVMRestoreWithMSI.json): Retry-After 60 does not hold the bot up; one copy task without times', async () => {
      const disks = recorded('restore.trigger-restore-disks');
      serveRestore(exchange(disks, 'POST', /\/restore$/), 'southeastasia', 1);
      const ps = recorded('powershell.restore-disks-identity');
      const post = exchange(ps, 'POST', /\/restore$/);
      expect(post.response.headers['retry-after']).toBe('60');
      arm.on('POST', /\/restore$/, [answer(post)]);
      const status = exchange(ps, 'GET', /backupOperations/);
      arm.on('GET', /\/operationsStatus\//, [answer(status)]);
      arm.on('GET', /\/backupOperations\//, [answer(status)]);
      arm.on('GET', /\/backupJobs\/[^/]+$/, [answer(exchange(ps, 'GET', /backupJobs/))]);

      const started = Date.now();
      const r = await service.restore({
        vm: 'vm-rec',
        point: { latest: true },
        kind: 'RestoreDisks',
        targetResourceGroup: 'rg-rec-target',
      });

      expect(Date.now() - started).toBeLessThan(5_000);
      // The bot stages through the account it names (az CLI's form), never the vault's identity.
      const body = restoreSent()[0]!.body as { properties: Json };
      expect(body.properties.storageAccountId).toMatch(/\/storageAccounts\/sarec$/);
      expect(body.properties).not.toHaveProperty('identityInfo');
      expect(r.job).toMatchObject({ operation: 'Restore', status: 'InProgress' });
      expect(r.job.tasks).toEqual([{ name: 'Transfer data from vault', status: 'InProgress' }]);
      expect(r.job.restore).toEqual({
        kind: 'RestoreDisks',
        jobType: 'Recover disks',
        recoveryPointTime: '2024-04-22T10:46:07.000Z',
        targetResourceGroup: 'rg-ps',
        storageAccount: 'saps',
      });
    });

    it('restore disks: the recorded RestoreDisks request with a target group (2022, instant restore)', async () => {
      const disks = recorded('restore.trigger-restore-disks');
      const trigger = exchange(disks, 'POST', /\/restore$/);
      serveRestore(trigger, 'southeastasia', 1);
      arm.on('GET', /\/backupJobs\/[^/]+$/, [answer(exchange(disks, 'GET', /backupJobs/, 3))]);

      const r = await service.restore({
        vm: 'vm-rec',
        point: { latest: true },
        kind: 'RestoreDisks',
        targetResourceGroup: 'rg-rec-target',
      });

      expect(restoreSent()[0]!.body).toEqual(trigger.request.body);
      // The 2022 job names its target VM with the placeholder "vmName": not a VM.
      expect(r.job.restore).toMatchObject({ kind: 'RestoreDisks', targetResourceGroup: 'rg-rec-target' });
      expect(r.job.restore?.targetVmName).toBeUndefined();
      expect(r.job.restore?.templateBlobUri).toMatch(
        /^https:\/\/sarec\.blob\.core\.windows\.net\/.+\/azuredeploy/,
      );
      expect(r.job.status).toBe('Completed');
    });

    describe('an Enhanced point held only as its snapshot (PowerShell, TestAzureVMSourceScanRecoveryPoints.json, 2026)', () => {
      const ps = () => recorded('powershell.recovery-point-by-id-instant-only');
      const PS_CONTAINER = 'IaasVMContainer;iaasvmcontainerv2;sample-rg;Sample-VM';
      const PS_ITEM = 'VM;iaasvmcontainerv2;sample-rg;Sample-VM';
      /** The record's item (the VM's case in its id, the group lower-cased) and its snapshot-only point. */
      const serveRecord = () => {
        arm.on('GET', /\/backupProtectedItems$/, [answer(exchange(ps(), 'GET', /backupProtectedItems/))]);
        arm.on('GET', /\/recoveryPoints$/, [listOf(exchange(ps(), 'GET', /recoveryPoints\//).response.body)]);
        const vm = structuredClone(
          exchange(recorded('compute.vm-instance-view'), 'GET', /virtualMachines\/vm-rec$/).response
            .body as Json,
        );
        const { instanceView, ...properties } = vm.properties as Json;
        const item = firstOf(exchange(ps(), 'GET', /backupProtectedItems/));
        arm.on('GET', /\/providers\/Microsoft\.Compute\/virtualMachines$/, [
          listOf({
            ...vm,
            name: 'Sample-VM',
            id: (item.properties as Json).sourceResourceId,
            properties: { ...properties, instanceView: { statuses: (instanceView as Json).statuses } },
          }),
        ]);
      };

      it('finds Sample-VM by name in any case and reads the point from the item the record names', async () => {
        serveRecord();
        for (const name of ['Sample-VM', 'sample-vm', 'SAMPLE-VM']) {
          const [point] = await service.listRecoveryPoints(name);
          expect(point).toEqual({
            id: '1131169477306229',
            time: '2026-08-31T08:11:12.565Z',
            consistency: 'AppConsistent',
            tiers: [{ type: 'InstantRP', status: 'Valid' }],
          });
          expect(pointDetail(point!)).toBe('Application-consistent · Snapshot only');
        }
        // The points are read under the item's own names, its casing kept.
        expect(new Set(sent('GET', /\/recoveryPoints$/).map((r) => r.path))).toEqual(
          new Set([
            `${VAULT}/backupFabrics/Azure/protectionContainers/${PS_CONTAINER}/protectedItems/${PS_ITEM}/recoveryPoints`,
          ]),
        );
      });

      it('restores disks from the snapshot-only point: the request names the point and a target group, no tier', async () => {
        const disks = recorded('restore.trigger-restore-disks');
        const trigger = exchange(disks, 'POST', /\/restore$/);
        serveRestore(trigger, 'southeastasia', 1);
        serveRecord();
        arm.on('GET', /\/backupJobs\/[^/]+$/, [answer(exchange(disks, 'GET', /backupJobs/, 3))]);

        const r = await service.restore({
          vm: 'sample-vm',
          point: { latest: true },
          kind: 'RestoreDisks',
          targetResourceGroup: 'rg-rec-target',
        });

        expect(r.point.tiers).toEqual([{ type: 'InstantRP', status: 'Valid' }]);
        const [request] = restoreSent();
        expect(request!.path).toBe(
          `${VAULT}/backupFabrics/Azure/protectionContainers/${PS_CONTAINER}/protectedItems/${PS_ITEM}/recoveryPoints/1131169477306229/restore`,
        );
        const props = (request!.body as { properties: Json }).properties;
        // Azure restores from the snapshot when it is the point's only tier: the body names no tier,
        // the same fields as the CLI's instant restore to a target group.
        expect(Object.keys(props).sort()).toEqual(
          Object.keys((trigger.request.body as { properties: Json }).properties).sort(),
        );
        expect(props).toMatchObject({
          objectType: 'IaasVMRestoreRequest',
          recoveryPointId: '1131169477306229',
          recoveryType: 'RestoreDisks',
          sourceResourceId: `/subscriptions/${SUB}/resourceGroups/Sample-RG/providers/Microsoft.Compute/virtualMachines/Sample-VM`,
          targetResourceGroupId: `/subscriptions/${SUB}/resourceGroups/rg-rec-target`,
        });
      });
    });
  });

  it('reads recovery points as recorded', async () => {
    arm.on('GET', /\/backupProtectedItems$/, [
      answer(exchange(recorded('protected-items.list-after-backup'), 'GET', /backupProtectedItems/, 1)),
    ]);
    arm.on('GET', /\/recoveryPoints$/, [
      answer(exchange(recorded('recovery-points.list'), 'GET', /recoveryPoints$/)),
    ]);
    const [point] = await service.listRecoveryPoints('vm-rec');
    expect(point).toMatchObject({
      id: '1264670702561749',
      time: '2026-07-25T08:59:25.667Z',
      consistency: 'AppConsistent',
      tiers: [
        { type: 'InstantRP', status: 'Valid' },
        { type: 'HardenedRP', status: 'Valid' },
      ],
    });
  });
});

/** What every scenario reads: the vault, the VM, its instance view, the policies. */
function serveTheWorld(arm: RecordedArm): void {
  const vaultCreate = recorded('vault.create-lro');
  const vault = structuredClone(vaultCreate.exchanges.at(-1)!.response.body as Json);
  // The recorded VM and vault come from different sessions; the vault is put in the VM's region.
  vault.location = 'centralus';
  arm.on('GET', new RegExp(`${VAULT}$`), [{ status: 200, body: vault }]);
  const vmGet = exchange(recorded('compute.vm-instance-view'), 'GET', /virtualMachines\/vm-rec$/).response
    .body as Json;
  const { instanceView, ...properties } = vmGet.properties as Json;
  // No live `statusOnly` listing was recorded: the listed VM has its power state and no agent.
  const listed = {
    ...vmGet,
    properties: { ...properties, instanceView: { statuses: (instanceView as Json).statuses } },
  };
  arm.on('GET', /\/providers\/Microsoft\.Compute\/virtualMachines$/, [listOf(listed)]);
  arm.on('GET', /\/virtualMachines\/vm-rec\/instanceView$/, [{ status: 200, body: instanceView }]);
  const policy = exchange(recorded('policies.default-get'), 'GET', /backupPolicies\/DefaultPolicy$/).response
    .body;
  arm.on('GET', /\/backupPolicies$/, [listOf(policy)]);
  arm.on('GET', /\/backupPolicies\/DefaultPolicy$/, [{ status: 200, body: policy }]);
  arm.on('GET', /\/backupProtectedItems$/, [listOf()]);
  arm.on('GET', /\/backupProtectableItems$/, [
    answer(exchange(recorded('protection.protectable-items-list'), 'GET', /backupProtectableItems/, 1)),
  ]);
}
