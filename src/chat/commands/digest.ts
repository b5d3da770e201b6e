import { AppError, assertName, addressOf, targetIdOf } from '../../domain/index.js';
import { collectDigest } from '../../fleet/backup-digest.js';
import type { FleetServices } from '../../fleet/fleet-services.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';
import { vaultTarget } from '../vault-target.js';
import { addressFor } from './alert-subscriptions.js';

function fleetOf(ctx: CommandContext): FleetServices {
  if (!ctx.fleet) throw new AppError('fleet.unavailable', 'Digests are not available in this bot.');
  return ctx.fleet;
}

/** `HH:MM` of a UTC time; a bad time is refused with the allowed form. */
function timeOf(h: string, m: string): string {
  const hour = Number(h);
  const minute = Number(m);
  if (hour > 23 || minute > 59)
    throw new AppError('validation.time', `"${h}:${m}" is not a time of day.`, {
      hint: 'Give a UTC time from 00:00 to 23:59, like "digest daily at 08:00".',
    });
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

export const scheduleDigestCommand = defineCommand<{ time: string }>({
  id: 'digest.schedule',
  title: 'Daily digest',
  summary: 'Posts the backup health of the vaults here every day at a UTC time.',
  examples: ['digest daily at 08:00'],
  role: 'operator',
  effect: 'write',
  keywords: ['digest', 'digest daily at'],
  usage: 'digest daily at <time>',
  args: [{ name: 'time', kind: 'name', required: true, says: '<HH:MM> (UTC)' }],
  parse(text) {
    const m =
      /^(?:send\s+(?:us\s+)?(?:a\s+|the\s+)?)?(?:daily\s+)?digest(?:\s+(?:daily|every\s+day))?\s+at\s+(\d{1,2}):(\d{2})(?:\s*utc)?$/i.exec(
        text,
      );
    return m ? { time: timeOf(m[1]!, m[2]!) } : undefined;
  },
  targetOf: (args) => `digest at ${args.time} UTC`,
  async execute(args, ctx) {
    const fleet = fleetOf(ctx);
    const now = ctx.now();
    const today = now.toISOString().slice(0, 10);
    // A time already past today: the first digest is tomorrow's.
    const passed = now.toISOString().slice(11, 16) >= args.time;
    await fleet.digests.schedule(
      { address: addressFor(ctx), time: args.time, createdBy: ctx.request.user.id },
      passed ? today : undefined,
    );
    return { kind: 'digest-scheduled', time: args.time, fromTomorrow: passed };
  },
});

export const stopDigestCommand = defineCommand<Record<string, never>>({
  id: 'digest.stop',
  title: 'Stop the daily digest',
  summary: "Stops this conversation's daily digest.",
  examples: ['digest off'],
  role: 'operator',
  effect: 'write',
  keywords: ['digest off', 'stop digest'],
  usage: 'digest off',
  args: [],
  parse(text) {
    return /^(?:(?:daily\s+)?digest\s+off|stop\s+(?:the\s+)?(?:daily\s+)?digest|no\s+(?:more\s+)?digests?)$/i.test(
      text,
    )
      ? {}
      : undefined;
  },
  async execute(_args, ctx) {
    const removed = await fleetOf(ctx).digests.cancel(targetIdOf(addressFor(ctx)));
    return { kind: 'digest-stopped', removed };
  },
});

export const backupHealthCommand = defineCommand<{
  vault?: { vault: string; resourceGroup?: string };
  subscription?: string;
}>({
  id: 'digest.now',
  title: 'Backup health',
  summary:
    'Per vault: protected VMs and their last backup, failures in the last 24 h, unprotected VMs, soft-deleted data, old VM agents.',
  examples: [
    'backup health',
    'backup health for vault rg-chatops/rsv-westus',
    'backup health in subscription "Contoso East"',
  ],
  role: 'reader',
  effect: 'read',
  keywords: ['backup health', 'health'],
  usage: 'backup health',
  args: [{ name: 'vault', kind: 'vault', required: false, says: 'for vault <vault>' }, SUBSCRIPTION_ARG],
  parse(text) {
    const m =
      /^(?:(?:check|show(?:\s+me)?|run|give\s+me)\s+(?:the\s+|a\s+)?)?(?:backup\s+)?health(?:\s+(?:report|check))?(?:\s+(?:for|of)\s+(?:the\s+)?vault\s+(?:([^\s/]+)\/)?(\S+))?$/i.exec(
        text,
      );
    if (!m) return undefined;
    if (!m[2]) return {};
    return {
      vault: {
        vault: assertName('vault', m[2]),
        ...(m[1] ? { resourceGroup: assertName('resourceGroup', m[1]) } : {}),
      },
    };
  },
  async execute(args, ctx) {
    const fleet = fleetOf(ctx);
    const address = addressOf(ctx.request);
    // A vault or a subscription named: that vault (the subscription's default one), read first, so
    // a name that exists nowhere is an error rather than an empty report.
    const named =
      args.vault || args.subscription
        ? await ctx.service.getVault(vaultTarget(args.vault, args.subscription))
        : undefined;
    const vaults = named
      ? [{ vault: named.name, resourceGroup: named.resourceGroup, subscription: named.subscriptionId }]
      : await fleet.vaultsFor(address ? targetIdOf(address) : undefined);
    const report = await collectDigest(ctx.service, vaults, ctx.now());
    return { kind: 'health-reported', report };
  },
});
