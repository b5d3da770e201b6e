import { RESTORE_KIND_TEXT } from '../../cards/present-restore.js';
import type { RestoreInput, RestoreKind } from '../../domain/index.js';
import { choosePoint } from '../../domain/index.js';
import type { CommandOutcome } from '../command-outcome.js';
import type { Command, CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import { parseRestore } from '../phrases/restore-phrase.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import type { VaultChoice } from '../phrases/vault-phrase.js';
import { parseVaultPhrase } from '../phrases/vault-phrase.js';
import { vaultTarget } from '../vault-target.js';

/** Where the VM's backup is, when not in the configured vault: "… in vault X [in subscription Y]". */
interface VaultPhrases {
  vault?: VaultChoice;
  subscription?: string;
}
type RestoreArgs = RestoreInput & VaultPhrases;
const VAULT_ARG = { name: 'vault', kind: 'vault', required: false, says: 'in vault [<rg>/]<vault>' } as const;

/** The restore's words with the vault phrase taken out, and the vault it names. */
function parseRestoreIn(text: string, now: Date) {
  const { vault, rest } = parseVaultPhrase(text);
  const r = parseRestore(rest, now);
  return r ? { ...r, ...(vault ? { vault } : {}) } : undefined;
}

/** `restore myVM`: the newest points and the three kinds, with buttons. */
export const restoreOptionsCommand = defineCommand<{ vm: string } & VaultPhrases>({
  id: 'restore.options',
  title: 'Restore a VM',
  summary:
    'The VM’s recent recovery points (time, snapshot or vault, consistency) and the three ways to restore from them: as a new VM (the original untouched), as disks with a template to build a VM, or by replacing its disks in place (destructive: an approver confirms; Azure keeps the old disks).',
  examples: ['restore myVM'],
  role: 'reader',
  effect: 'read',
  keywords: ['restore', 'recover'],
  usage: 'restore <vm>',
  args: [{ name: 'vm', kind: 'vm', required: true, says: '<vm>' }, VAULT_ARG, SUBSCRIPTION_ARG],
  parse(text, now) {
    const r = parseRestoreIn(text, now);
    return r?.options ? { vm: r.vm, ...(r.vault ? { vault: r.vault } : {}) } : undefined;
  },
  targetOf: (a) => a.vm,
  async execute({ vm, vault, subscription }, ctx) {
    const target = vaultTarget(vault, subscription);
    const [status, points] = await Promise.all([
      ctx.service.getVm(vm, target),
      ctx.service.listRecoveryPoints(vm, target),
    ]);
    return { kind: 'restore-options', vm: status, vaultName: vault?.vault ?? ctx.defaults.vaultName, points };
  },
});

/**
 * One declaration per kind: each has its own role, effect and help entry; they share the grammar and
 * the handler (the restore's job, which the card follows).
 */
const POINT_ARG = {
  name: 'point',
  kind: 'point',
  required: false,
  says: 'from <point id | latest | yesterday 14:00>',
} as const;

const RESTORE_USAGE: Record<RestoreKind, Pick<Command, 'usage' | 'args'>> = {
  AlternateLocation: {
    usage: 'restore <vm> as new vm <name>',
    args: [
      { name: 'vm', kind: 'vm', required: true, says: '<vm>' },
      { name: 'targetVmName', kind: 'name', required: true, says: '<name>' },
      POINT_ARG,
      { name: 'targetResourceGroup', kind: 'resource-group', required: false, says: 'in <rg>' },
      { name: 'subnet', kind: 'restore-target', required: false, says: 'subnet <rg>/<vnet>/<subnet>' },
      VAULT_ARG,
      SUBSCRIPTION_ARG,
    ],
  },
  RestoreDisks: {
    usage: 'restore disks of <vm>',
    args: [
      { name: 'vm', kind: 'vm', required: true, says: '<vm>' },
      POINT_ARG,
      { name: 'targetResourceGroup', kind: 'resource-group', required: false, says: 'to <rg>' },
      VAULT_ARG,
      SUBSCRIPTION_ARG,
    ],
  },
  OriginalLocation: {
    usage: 'replace disks of <vm>',
    args: [{ name: 'vm', kind: 'vm', required: true, says: '<vm>' }, POINT_ARG, VAULT_ARG, SUBSCRIPTION_ARG],
  },
};

function restoreDeclaration(kind: RestoreKind, title: string, examples: string[]) {
  return {
    id: RESTORE_COMMAND_IDS[kind],
    title,
    summary: `${RESTORE_KIND_TEXT[kind]} Its card follows the restore job to the end.`,
    examples,
    role: 'operator' as const,
    effect: 'write' as const,
    keywords: ['restore', 'recover', ...(kind === 'OriginalLocation' ? ['replace disks'] : [])],
    ...RESTORE_USAGE[kind],
    parse(text: string, now: Date): RestoreArgs | undefined {
      const r = parseRestoreIn(text, now);
      return r && !r.options && r.kind === kind ? r : undefined;
    },
    targetOf: (a: RestoreArgs) => a.vm,
    execute: startRestore,
  };
}

const RESTORE_COMMAND_IDS: Record<RestoreKind, string> = {
  AlternateLocation: 'restore.new-vm',
  RestoreDisks: 'restore.disks',
  OriginalLocation: 'restore.replace-disks',
};

export const restoreNewVmCommand = defineCommand<RestoreArgs>(
  restoreDeclaration('AlternateLocation', 'Restore as a new VM', [
    'restore myVM from latest as new vm myVM-restored',
    'restore myVM from yesterday 14:00 as new vm myVM-old in rg-restore subnet rg-net/vnet-westus/default',
  ]),
);

export const restoreDisksCommand = defineCommand<RestoreArgs>(
  restoreDeclaration('RestoreDisks', 'Restore disks', [
    'restore myVM from latest restore disks',
    'restore myVM from 2026-11-30 08:00 restore disks to rg-restore',
  ]),
);

export const replaceDisksCommand = defineCommand<RestoreArgs>({
  ...restoreDeclaration('OriginalLocation', 'Replace disks', ['restore myVM from latest replace disks']),
  summary: `${RESTORE_KIND_TEXT.OriginalLocation} The approver types the VM's name.`,
  effect: 'destructive',
  async describe(args, ctx) {
    const target = vaultTarget(args.vault, args.subscription);
    const [vm, points] = await Promise.all([
      ctx.service.getVm(args.vm, target),
      ctx.service.listRecoveryPoints(args.vm, target),
    ]);
    const point = choosePoint(points, args.point, vm.name);
    const when = point.time ? `${point.time.slice(0, 16).replace('T', ' ')} UTC` : 'time unknown';
    return {
      target: vm.name,
      confirmName: vm.name,
      // The VM by its id and the point by its id: a newer "latest" since the request is a new plan.
      plan: [vm.id, `recovery point ${point.id}`],
      consequences: [
        `The disks of ${vm.name} are replaced with those of recovery point ${point.id} (${when}): whatever was written to them since is lost from the VM.`,
        `Azure snapshots the current disks first and leaves the original disks in resource group ${vm.resourceGroup}: to undo, swap them back onto the VM (they are billed until deleted).`,
        `The VM is updated in place (recorded: about 25 minutes, most of it updating the VM); plan for it to be unavailable meanwhile.${point.extendedZone ? ` It stays in Extended Zone ${point.extendedZone}.` : ''}`,
      ],
    };
  },
});

/** Starts the restore: its job, in its own vault's resource group. */
async function startRestore(args: RestoreArgs, ctx: CommandContext): Promise<CommandOutcome> {
  const { vault, subscription, ...input } = args;
  const r = await ctx.service.restore({ ...input, ...vaultTarget(vault, subscription) }, ctx.operations);
  // The job's own vault: with several subscriptions it need not be the configured one.
  const resourceGroup = vault?.resourceGroup ?? r.job.vaultResourceGroup ?? ctx.defaults.vaultResourceGroup;
  return { kind: 'job-started', job: r.job, resourceGroup };
}
