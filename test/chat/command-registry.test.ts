import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/domain/index.js';
import type { CommandRegistry } from '../../src/chat/command-registry.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';
import type { RegistryOn } from './registry-on.js';
import { alice, carol, registryOn, stranger } from './registry-on.js';

describe('the command registry on the real backup service', () => {
  let h: Harness;
  let registry: CommandRegistry;
  let say: RegistryOn['say'];
  let click: RegistryOn['click'];

  beforeAll(async () => {
    h = await startHarness();
    ({ registry, say, click } = registryOn(h));
  });
  afterAll(() => h.close());

  it('starts a backup for an operator and asks the channel to watch the job', async () => {
    const reply = await say(alice, '@bot please backup myVM now');
    expect(reply.view.kind).toBe('job');
    expect(reply.watch).toMatchObject({ vaultName: 'rsv-westus', resourceGroup: 'rg-chatops' });
    if (reply.view.kind !== 'job') return;
    expect(reply.view.job.phases?.snapshot.status).toBe('InProgress');
    expect(reply.view.portalUrl).toMatch(/^https:\/\/portal\.azure\.com\/.*rsv-westus\/backupJobs$/);
    expect(reply.view.consistency).toMatch(/application-consistent/);
  });

  it('refuses a reader, naming the role needed', async () => {
    const reply = await say(carol, 'backup myVM now');
    expect(reply.view).toMatchObject({ kind: 'error', code: 'auth.forbidden' });
    expect(reply.view.kind === 'error' && reply.view.message).toMatch(/needs the operator role/);
  });

  it('refuses a user with no role at all', async () => {
    expect((await say(stranger, 'list vms')).view).toMatchObject({ kind: 'error', code: 'auth.forbidden' });
  });

  it('shows a reader only the commands a reader may run', async () => {
    const reply = await say(carol, 'help');
    expect(reply.view.kind).toBe('help');
    const ids = reply.view.kind === 'help' ? reply.view.commands.map((c) => c.id) : [];
    expect(ids).toContain('jobs.list');
    expect(ids).not.toContain('backup.now');
  });

  it('does not run a destructive command on one person’s word', async () => {
    const reply = await say(alice, 'stop backup for myVM and delete data');
    expect(reply.view).toMatchObject({ kind: 'message', tone: 'warning', title: 'Approval required' });
    expect((await h.service.getVm('myVM')).protection.state).toBe('Protected');
  });

  it('asks an operator to confirm before stopping backup (keeping data), then stops it', async () => {
    const ask = await say(alice, 'stop backup for myVM');
    expect(ask.view).toMatchObject({ kind: 'message', tone: 'warning', title: 'Stop backup of myVM?' });
    expect((await h.service.getVm('myVM')).protection.state).toBe('Protected');
    const button = ask.view.kind === 'message' ? ask.view.actions?.[0] : undefined;
    expect(button).toMatchObject({ verb: 'command.run', data: { text: 'stop backup for myVM confirm' } });
    const done = await click(alice, button!.verb, button!.data);
    expect(done.view).toMatchObject({ kind: 'stop-backup', result: { vmName: 'myVM', deletedData: false } });
    expect((await h.service.getVm('myVM')).protection.state).toBe('ProtectionStopped');
    await h.service.enableProtection({ vm: 'myVM', policy: 'EnhancedPolicy' });
  });

  it('answers an unknown command with suggestions', async () => {
    const reply = await say(alice, 'bakup myVM now');
    expect(reply.view).toMatchObject({
      kind: 'error',
      code: 'validation.unknown_command',
      suggestions: ['backup myVM now'],
    });
  });

  it('runs card buttons through the same path, validating their data', async () => {
    expect((await click(alice, 'command.run', { text: 'list vms' })).view.kind).toBe('vm-list');
    expect((await click(alice, 'command.run', { text: 'recovery points for myVM' })).view.kind).toBe(
      'recovery-points',
    );
    // Verbs no card ever emitted are gone from the table, and refused like any unknown one.
    expect((await click(alice, 'vms.list', {})).view).toMatchObject({
      kind: 'error',
      code: 'validation.action',
    });
    expect((await click(alice, 'command.run', { text: 'policies' })).view.kind).toBe('policy-list');
    expect((await click(alice, 'backup.now', { vm: 42 })).view).toMatchObject({
      kind: 'error',
      code: 'validation.vm_not_found',
    });
    expect((await click(alice, 'backup.now', {})).view).toMatchObject({
      kind: 'error',
      code: 'validation.action',
    });
    expect((await click(alice, 'nuke.everything', {})).view).toMatchObject({
      kind: 'error',
      code: 'validation.action',
    });
  });

  it('turns an Azure refusal into plain words with the service code', async () => {
    h.sandbox.faults.inject({
      pathIncludes: 'backupPolicies',
      status: 403,
      code: 'AuthorizationFailed',
      message: 'no',
    });
    const reply = await say(alice, 'policies');
    expect(reply.view).toMatchObject({
      kind: 'error',
      code: 'azure.AuthorizationFailed',
      title: 'Azure could not do it',
    });
  });

  it('refuses a second backup while the first takes its snapshot, naming the running job', async () => {
    const reply = await say(alice, 'backup myVM now');
    expect(reply.view).toMatchObject({ kind: 'error', code: 'azure.UserErrorBackupOperationInProgress' });
    expect(reply.view.kind === 'error' && reply.view.hint).toMatch(/^Follow it with "job /);
  });

  describe('answering a command whose process died before it could', () => {
    const typed = (text: string): ChatRequest => ({
      platform: 'web',
      user: alice,
      conversationId: 'c1',
      text,
    });
    const minutes = (n: number) => new Date(h.sandbox.clock.now().getTime() + n * 60_000);

    it('shows the backup Azure started for it, to be watched, and starts none', async () => {
      const before = await h.service.listJobs({ vmName: 'myVM', operation: 'Backup' });
      const reply = await registry.recover(typed('backup myVM now'), minutes(-1));
      expect(reply.view.kind).toBe('job');
      expect(reply.watch).toMatchObject({ jobId: before[0]!.id, vaultName: 'rsv-westus' });
      if (reply.view.kind === 'job') expect(reply.view.job.phases?.snapshot.status).toBe('InProgress');
      expect(await h.service.listJobs({ vmName: 'myVM', operation: 'Backup' })).toHaveLength(before.length);
    });

    it('says a backup may not have happened when Azure has none started since, and does not start one', async () => {
      const before = await h.service.listJobs({ vmName: 'myVM', operation: 'Backup' });
      const reply = await registry.recover(typed('backup myVM now'), minutes(5));
      expect(reply.view).toMatchObject({ kind: 'message', tone: 'warning', title: 'Interrupted' });
      expect(reply.watch).toBeUndefined();
      expect(await h.service.listJobs({ vmName: 'myVM', operation: 'Backup' })).toHaveLength(before.length);
    });

    it('runs a read again, and never another write', async () => {
      expect((await registry.recover(typed('status of jobs'), minutes(0))).view.kind).toBe('job-list');
      const reply = await registry.recover(typed('create vault rsv-recovered in westus'), minutes(0));
      expect(reply.view).toMatchObject({ kind: 'message', title: 'Interrupted' });
      expect(reply.view.kind === 'message' && reply.view.text).toMatch(
        /create vault rsv-recovered in westus/,
      );
      expect((await h.service.listVaults()).map((v) => v.name)).not.toContain('rsv-recovered');
    });
  });
});
