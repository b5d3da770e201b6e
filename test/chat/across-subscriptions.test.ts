import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/chat/command-list.js';
import { interpretText } from '../../src/chat/interpret-text.js';
import { SANDBOX_SECOND_SUBSCRIPTION as EAST } from '../../src/sandbox/seed-ids.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness, TWO_SUBSCRIPTIONS } from '../azure/service-harness.js';
import type { RegistryOn } from './registry-on.js';
import { alice, carol, registryOn } from './registry-on.js';

const now = new Date('2026-11-22T10:00:00Z');
const interpret = (text: string) => {
  const { command, args } = interpretText(text, COMMANDS, now);
  return { id: command.id, args };
};

describe('"across all vaults" phrasings', () => {
  it.each([
    ['list vms across all vaults', 'vms.list'],
    ['show vms in all subscriptions', 'vms.list'],
    ['list vms everywhere', 'vms.list'],
    ['status of jobs across all vaults', 'jobs.list'],
    ['failed jobs in every vault', 'jobs.list'],
  ])('"%s" spans every vault', (text, id) => {
    const r = interpret(text);
    expect(r.id).toBe(id);
    expect(r.args).toMatchObject({ across: true });
  });

  it('keeps the other arguments and leaves the plain forms to the default vault', () => {
    expect(interpret('failed jobs in every vault').args).toMatchObject({ filter: { status: 'Failed' } });
    expect(interpret('list vms').args).not.toHaveProperty('across');
    expect(interpret('status of jobs').args).not.toHaveProperty('across');
  });
});

describe('list commands across two subscriptions', () => {
  let h: Harness;
  let chat: RegistryOn;
  beforeAll(async () => {
    h = await startHarness({}, TWO_SUBSCRIPTIONS);
    chat = registryOn(h);
  });
  afterAll(() => h.close());

  it('lists the VMs of both subscriptions in one card', async () => {
    const { view } = await chat.say(carol, 'list vms across all vaults');
    expect(view.kind).toBe('vm-list');
    if (view.kind !== 'vm-list') return;
    expect(view.across).toBe(true);
    expect(view.vault.location).toBe('2 vaults, 2 subscriptions');
    expect(view.vms.map((v) => v.name)).toEqual(expect.arrayContaining(['app-east-01', 'myVM']));
    // The plain form stays on the default vault's subscription.
    const plain = await chat.say(carol, 'list vms');
    expect(plain.view.kind === 'vm-list' && plain.view.vms.map((v) => v.name)).not.toContain('app-east-01');
  });

  it("lists both vaults and both vaults' jobs", async () => {
    const vaults = await chat.say(carol, 'vaults');
    expect(vaults.view.kind === 'vault-list' && vaults.view.vaults.map((v) => v.name)).toEqual([
      'rsv-westus',
      'rsv-eastus',
    ]);
    const { view } = await chat.say(carol, 'status of jobs across all vaults');
    expect(view.kind).toBe('job-list');
    if (view.kind !== 'job-list') return;
    expect(view.vaultName).toBe('all vaults');
    expect(new Set(view.jobs.map((j) => j.vaultName))).toEqual(new Set(['rsv-westus', 'rsv-eastus']));
  });

  it('watches a backup of a VM of the second subscription in the vault that runs it', async () => {
    const reply = await chat.say(alice, 'backup app-east-01 now');
    expect(reply.view.kind).toBe('job');
    expect(reply.watch).toMatchObject({ vaultName: 'rsv-eastus', resourceGroup: EAST.vaultResourceGroup });
    // The watcher reads it again by vault: that finds the second subscription.
    const job = await h.service.getJob(reply.watch!.jobId, {
      vault: reply.watch!.vaultName,
      resourceGroup: reply.watch!.resourceGroup,
    });
    expect(job.vmName).toBe('app-east-01');
  });
});
