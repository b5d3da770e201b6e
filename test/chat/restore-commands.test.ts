import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import type { View } from '../../src/cards/views.js';
import { COMMANDS } from '../../src/chat/command-list.js';
import { interpretText } from '../../src/chat/interpret-text.js';
import { isAppError } from '../../src/domain/index.js';
import type { Harness } from '../azure/service-harness.js';
import { startHarness } from '../azure/service-harness.js';
import { executeActions, visibleText } from '../cards/card-actions.js';
import type { RegistryOn } from './registry-on.js';
import { alice, carol, registryOn } from './registry-on.js';
import { makeNewestPointSnapshotOnly } from '../../src/sandbox/snapshot-only-points.js';

const now = new Date('2026-11-22T10:00:00Z');
const interpret = (text: string) => {
  const { command, args } = interpretText(text, COMMANDS, now);
  return { id: command.id, args };
};
const refusal = (text: string): string => {
  try {
    interpret(text);
  } catch (e) {
    if (isAppError(e)) return e.code;
  }
  return 'accepted';
};

describe('restore phrasings', () => {
  it.each([
    ['restore myVM', 'restore.options', { vm: 'myVM' }],
    ['restore vm myVM', 'restore.options', { vm: 'myVM' }],
    ['restore options for myVM', 'restore.options', { vm: 'myVM' }],
    [
      'restore myVM from latest as new vm myVM-restored',
      'restore.new-vm',
      { vm: 'myVM', kind: 'AlternateLocation', point: { latest: true }, targetVmName: 'myVM-restored' },
    ],
    [
      'Restore myVM from 10036123456789 as a new VM called myVM-old in rg-restore subnet rg-net/vnet-a/default',
      'restore.new-vm',
      {
        point: { id: '10036123456789' },
        targetVmName: 'myVM-old',
        targetResourceGroup: 'rg-restore',
        subnet: 'rg-net/vnet-a/default',
      },
    ],
    [
      'restore myVM from yesterday 14:00 as new vm x',
      'restore.new-vm',
      { point: { atOrBefore: '2026-11-21T14:00:00.000Z' } },
    ],
    [
      'restore myVM from yesterday 2pm restore disks',
      'restore.disks',
      { point: { atOrBefore: '2026-11-21T14:00:00.000Z' } },
    ],
    [
      'restore myVM from today restore disks',
      'restore.disks',
      { point: { atOrBefore: '2026-11-22T23:59:59.000Z' } },
    ],
    [
      'restore myVM from 2026-11-20 08:30 restore disks to rg-restore',
      'restore.disks',
      {
        kind: 'RestoreDisks',
        point: { atOrBefore: '2026-11-20T08:30:00.000Z' },
        targetResourceGroup: 'rg-restore',
      },
    ],
    ['restore disks of myVM from latest', 'restore.disks', { vm: 'myVM', kind: 'RestoreDisks' }],
    ['restore myVM as disks', 'restore.disks', { point: { latest: true } }],
    [
      'restore myVM from latest replace disks',
      'restore.replace-disks',
      { vm: 'myVM', kind: 'OriginalLocation' },
    ],
    [
      'replace disks of myVM from 10036123456789',
      'restore.replace-disks',
      { point: { id: '10036123456789' } },
    ],
    ['restore points for myVM', 'recoverypoints.list', { vm: 'myVM' }],
  ] as const)('%j → %s', (text, id, args) => {
    const r = interpret(text);
    expect(r.id).toBe(id);
    expect(r.args).toMatchObject(args);
  });

  it.each([
    ['restore myVM from latest', 'validation.arguments'],
    ['restore myVM from latest replace disks in rg-x', 'validation.arguments'],
    ['restore myVM from latest restore disks subnet a/b/c', 'validation.arguments'],
    ['restore myVM from yesterday 25:00 as new vm x', 'validation.arguments'],
    ['restore myVM as new vm x please with sugar', 'validation.arguments'],
  ])('%j is refused with %s', (text, code) => {
    expect(refusal(text)).toBe(code);
  });
});

describe('restore through the registry', () => {
  let h: Harness;
  let say: RegistryOn['say'];

  beforeAll(async () => {
    h = await startHarness();
    ({ say } = registryOn(h));
  });
  afterAll(() => h.close());

  it('shows a reader the points newest first and the three options, with buttons that type the commands', async () => {
    const { view } = await say(carol, 'restore myVM');
    expect(view.kind).toBe('restore-options');
    if (view.kind !== 'restore-options') return;
    const points = await h.service.listRecoveryPoints('myVM');
    expect(view.points.map((p) => p.id)).toEqual(points.map((p) => p.id));
    const card = renderAdaptiveCard(view);
    const text = visibleText(card);
    expect(text).toMatch(
      /2 recovery points in vault rsv-westus, newest first \(westus · Extended Zone losangeles\)/,
    );
    expect(text).toMatch(/Application-consistent · Snapshot \+ Vault · Extended Zone losangeles · id \d+/);
    expect(text).toContain('Replace disks: the VM’s disks are swapped');
    expect(executeActions(card).map((a) => (a.data as { text: string }).text)).toEqual([
      `restore myVM from ${points[0]!.id} as new vm myVM-restored`,
      `restore myVM from ${points[0]!.id} restore disks`,
      `restore myVM from ${points[0]!.id} replace disks`,
    ]);
  });

  it('refuses a reader a restore, and starts one for an operator whose card is watched', async () => {
    expect((await say(carol, 'restore myVM from latest as new vm x')).view).toMatchObject({
      kind: 'error',
      code: 'auth.forbidden',
    });
    const reply = await say(alice, 'restore myVM from latest as new vm myVM-restored');
    expect(reply.watch).toMatchObject({ vaultName: 'rsv-westus', resourceGroup: 'rg-chatops' });
    const view = reply.view as Extract<View, { kind: 'job' }>;
    expect(view.kind).toBe('job');
    expect(reply.watch?.jobId).toBe(view.job.id);
    const text = visibleText(renderAdaptiveCard(view));
    expect(text).toContain('Restore job · myVM');
    expect(text).toContain('Transfer data from vault');
    expect(text).toContain('Create the restored virtual machine');
    expect(text).toContain('Creates VM myVM-restored in resource group rg-workloads on network vnet-westus.');
    h.advanceMinutes(3);
    const done = await say(alice, `job ${view.job.id}`);
    const doneText = visibleText(renderAdaptiveCard(done.view));
    expect(doneText).toContain('Created VM myVM-restored in resource group rg-workloads.');
    expect(doneText).toMatch(/Recovery point\s*\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it('asks for approval before replacing disks, and never runs it on one person’s word', async () => {
    const reply = await say(alice, 'restore myVM from latest replace disks');
    expect(reply.view).toMatchObject({ kind: 'message', title: 'Approval required' });
    expect(h.sandbox.world.jobs.filter((j) => j.restore?.kind === 'OriginalLocation')).toEqual([]);
  });

  it('explains the three kinds on one help screen, to each role what it may run', async () => {
    const { view } = await say(alice, 'help restore');
    if (view.kind !== 'help') throw new Error(view.kind);
    expect(view.commands.map((c) => c.id)).toEqual(
      expect.arrayContaining(['restore.options', 'restore.new-vm', 'restore.disks', 'restore.replace-disks']),
    );
    const reader = (await say(carol, 'help restore')).view;
    if (reader.kind !== 'help') throw new Error(reader.kind);
    const options = reader.commands.find((c) => c.id === 'restore.options')!;
    expect(options.summary).toMatch(/new VM.*disks.*replacing its disks/);
    expect(reader.commands.map((c) => c.id)).not.toContain('restore.new-vm');
  });
});

describe('restore from an Enhanced point held only as its snapshot', () => {
  let h: Harness;
  let say: RegistryOn['say'];

  beforeAll(async () => {
    h = await startHarness();
    ({ say } = registryOn(h));
  });
  afterAll(() => h.close());

  it('says the newest point is snapshot-only on both cards, and restores disks from it', async () => {
    // As PowerShell's 2026 record shows an Enhanced (V2) point a day after it was taken.
    const point = makeNewestPointSnapshotOnly(h.sandbox.world, 'myVM');
    const listed = visibleText(renderAdaptiveCard((await say(carol, 'recovery points for myVM')).view));
    expect(listed).toContain('Application-consistent · Snapshot only · Extended Zone losangeles');
    expect(listed).toContain('Application-consistent · Snapshot + Vault · Extended Zone losangeles');

    const options = visibleText(renderAdaptiveCard((await say(carol, 'restore myVM')).view));
    expect(options).toContain(
      `Application-consistent · Snapshot only · Extended Zone losangeles · id ${point.id}`,
    );

    const reply = await say(alice, 'restore myVM from latest restore disks');
    const view = reply.view as Extract<View, { kind: 'job' }>;
    expect(view.kind).toBe('job');
    expect(view.job.restore).toMatchObject({
      kind: 'RestoreDisks',
      targetResourceGroup: 'rg-workloads',
      recoveryPointTime: point.time.slice(0, 19) + '.000Z',
    });
  });
});
