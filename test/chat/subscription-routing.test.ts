import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentView } from '../../src/cards/present-view.js';
import { SANDBOX_SECOND_SUBSCRIPTION as EAST, SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness, TWO_SUBSCRIPTIONS } from '../azure/service-harness.js';
import type { RegistryOn } from './registry-on.js';
import { alice, carol, registryOn } from './registry-on.js';

/**
 * Issue 18: a command names its vault's subscription (by display name or id), or the fleet finds
 * it; every command acts in that subscription. On the real SDK clients against the sandbox's two
 * subscriptions ("Contoso East" holds rsv-eastus and app-east-01).
 */
describe('commands routed to the subscription their vault is in', () => {
  let h: Harness;
  let chat: RegistryOn;
  beforeAll(async () => {
    h = await startHarness({}, TWO_SUBSCRIPTIONS);
    chat = registryOn(h);
  });
  afterAll(() => h.close());

  it('lists the jobs of a vault named with its subscription, by display name or by id', async () => {
    for (const text of [
      `status of jobs in vault ${EAST.vaultName} in subscription "${EAST.displayName}"`,
      `status of jobs in vault ${EAST.vaultName} of subscription ${EAST.id}`,
      `status of jobs in subscription "${EAST.displayName}"`,
    ]) {
      const { view } = await chat.say(carol, text);
      expect(view.kind, text).toBe('job-list');
      if (view.kind !== 'job-list') return;
      expect(view.vaultName).toBe(EAST.vaultName);
      expect(view.jobs.length).toBeGreaterThan(0);
      expect(view.jobs.every((j) => j.vaultSubscription === EAST.id && j.vmName === 'app-east-01')).toBe(
        true,
      );
    }
  });

  it('refuses a subscription the bot does not work in, listing the configured ones', async () => {
    const { view } = await chat.say(
      carol,
      'status of jobs in vault rsv-eastus in subscription "Fabrikam Prod"',
    );
    expect(view.kind).toBe('error');
    if (view.kind !== 'error') return;
    expect(view.code).toBe('validation.subscription_not_found');
    expect(view.message).toContain('Fabrikam Prod');
    const said = JSON.stringify(view);
    expect(said).toContain(EAST.displayName);
    expect(said).toContain('AZURE_SUBSCRIPTION_IDS');
  });

  it('backs up a VM in the vault and subscription named, and watches it there', async () => {
    const reply = await chat.say(
      alice,
      `backup app-east-01 now in vault ${EAST.vaultName} of subscription "${EAST.displayName}"`,
    );
    expect(reply.view.kind).toBe('job');
    expect(reply.watch).toMatchObject({
      vaultName: EAST.vaultName,
      resourceGroup: EAST.vaultResourceGroup,
      subscription: EAST.id,
    });
  });

  it('creates a vault in the subscription named', async () => {
    const east = await chat.say(
      alice,
      `create vault rsv-east2 in eastus in resource group ${EAST.vaultResourceGroup} in subscription "${EAST.displayName}"`,
    );
    expect(east.view.kind).toBe('vault');
    if (east.view.kind !== 'vault') return;
    expect(east.view.vault.subscriptionId).toBe(EAST.id);
    const vaults = await h.service.listVaults();
    expect(vaults.find((v) => v.name === 'rsv-east2')?.subscriptionId).toBe(EAST.id);
  });

  it('describes a resource group of the subscription that has it, named or not', async () => {
    for (const subscription of [undefined, EAST.displayName, EAST.id]) {
      const rg = await h.service.describeResourceGroup('rg-apps-east', subscription);
      expect(rg.resources.map((r) => r.name)).toContain('app-east-01');
    }
    const e = await h.service
      .describeResourceGroup('rg-apps-east', SANDBOX_SUBSCRIPTION_ID)
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'azure.ResourceGroupNotFound' });
  });

  it("offers a restore of a VM of the second subscription from that subscription's vault", async () => {
    const { view } = await chat.say(carol, `restore app-east-01 in subscription "${EAST.displayName}"`);
    expect(view.kind, JSON.stringify(view).slice(0, 300)).toBe('restore-options');
    if (view.kind !== 'restore-options') return;
    expect(view.vm.name).toBe('app-east-01');
    expect(view.points.length).toBeGreaterThan(0);
  });

  it("refreshes a job of the second subscription from an across-all-vaults list's button", async () => {
    const list = await chat.say(carol, 'status of jobs across all vaults');
    expect(list.view.kind).toBe('job-list');
    const presented = presentView(list.view) as {
      actions?: { verb: string; data: Record<string, string> }[];
    };
    const button = presented.actions?.find((a) => a.data['vault'] === EAST.vaultName);
    expect(button, 'a button for a job of rsv-eastus').toBeDefined();
    expect(button!.data).toMatchObject({ subscription: EAST.id, resourceGroup: EAST.vaultResourceGroup });
    const { view } = await chat.click(carol, button!.verb, button!.data);
    expect(view.kind, JSON.stringify(view).slice(0, 300)).toBe('job');
    if (view.kind !== 'job') return;
    expect(view.job.id).toBe(button!.data['jobId']);
    expect(view.job.vaultSubscription).toBe(EAST.id);
  });

  it("runs an alert card's buttons for a job of the second subscription there", async () => {
    const [job] = await h.service.listJobs({ limit: 1 }, { subscription: EAST.id });
    expect(job?.vaultSubscription).toBe(EAST.id);
    const alert = presentView({
      kind: 'job-alert',
      job: job!,
      resourceGroup: EAST.vaultResourceGroup,
      inDefaultVault: false,
      asOf: new Date().toISOString(),
    }) as { actions?: { verb: string; data: Record<string, string> }[] };
    const [backup, details] = alert.actions ?? [];
    expect(backup?.data['text']).toContain(`in subscription ${EAST.id}`);
    const shown = await chat.click(carol, details!.verb, details!.data);
    expect(shown.view.kind, JSON.stringify(shown.view).slice(0, 300)).toBe('job');
    if (shown.view.kind === 'job') expect(shown.view.job.id).toBe(job!.id);
    // app-east-01 is still taking the snapshot of the backup an earlier test started in Contoso
    // East: the button's command reaches that VM's vault there, and Azure's refusal says so.
    const started = await chat.click(alice, backup!.verb, backup!.data);
    expect(started.view).toMatchObject({ kind: 'error', code: 'azure.UserErrorBackupOperationInProgress' });
    expect(JSON.stringify(started.view)).toContain('app-east-01 is already being backed up');
  });

  it('refuses a button whose subscription is malformed, before any call', async () => {
    const { view } = await chat.click(carol, 'job.refresh', {
      jobId: 'x',
      vault: 'rsv-eastus',
      subscription: '<script>',
    });
    expect(view).toMatchObject({ kind: 'error', code: 'validation.action' });
  });

  it('asks which subscription when two hold a vault of that name, with a button each', async () => {
    // A vault called rsv-eastus in the first subscription too.
    await h.service.createVault({ name: EAST.vaultName, location: 'westus', resourceGroup: 'rg-chatops' });
    const { view } = await chat.say(carol, `status of jobs in vault ${EAST.vaultName}`);
    expect(view.kind, JSON.stringify(view).slice(0, 300)).toBe('message');
    if (view.kind !== 'message') return;
    const texts = (view.actions ?? []).map((a) => a.data['text']);
    expect(texts).toHaveLength(2);
    expect(texts).toContain(
      `status of jobs in vault ${EAST.vaultName} in subscription "${EAST.displayName}"`,
    );
    // Pressing the Contoso East one lists that vault's jobs.
    const pressed = await chat.click(carol, 'command.run', {
      text: texts.find((t) => t?.includes(EAST.displayName)),
    });
    expect(pressed.view.kind).toBe('job-list');
    if (pressed.view.kind !== 'job-list') return;
    expect(pressed.view.jobs.every((j) => j.vaultSubscription === EAST.id)).toBe(true);
  });
});
