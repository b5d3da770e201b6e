import { AppError, assertName, addressOf, targetIdOf } from '../../domain/index.js';
import type { ChannelAddress } from '../../domain/index.js';
import type { FleetServices } from '../../fleet/fleet-services.js';
import type { AlertScope } from '../command-outcome.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import { describeScope } from '../present-fleet-outcome.js';
import { SUBSCRIPTION_ARG } from '../phrases/subscription-phrase.js';

/** The vault of a subscription: `all` for every vault the bot alerts for. */
type Scope = AlertScope;

interface SubscribeArgs {
  /** Undefined: all vaults. */
  scope?: Scope;
  onlyFailures: boolean;
  /** The vault's Azure subscription, by id or display name (SUBSCRIPTION_ARG). */
  subscription?: string;
}

const FOR_SCOPE = String.raw`(?:\s+(?:for|on|of)\s+(?:(all(?:\s+the)?\s+vaults|every\s+vault)|(?:the\s+)?vault\s+(?:([^\s/]+)\/)?(\S+)))?`;
const SUBSCRIBE = new RegExp(
  String.raw`^subscribe(?:\s+(?:this\s+)?(?:channel|conversation|chat|here|us))?(?:\s+to)?(?:\s+(?:the\s+)?backup)?\s+alerts${FOR_SCOPE}(\s+(?:only\s+failures|failures\s+only|only\s+failed(?:\s+backups)?))?$`,
  'i',
);
const UNSUBSCRIBE = new RegExp(
  String.raw`^unsubscribe(?:\s+(?:this\s+)?(?:channel|conversation|chat|here|us))?(?:\s+from)?(?:\s+(?:the\s+)?backup)?(?:\s+alerts)?${FOR_SCOPE}$`,
  'i',
);

function scopeOf(m: RegExpExecArray): Scope | undefined {
  if (m[1]) return 'all';
  if (!m[3]) return undefined;
  // The resource group is filled in from the defaults when the command runs.
  return { vault: assertName('vault', m[3]), resourceGroup: m[2] ? assertName('resourceGroup', m[2]) : '' };
}

function resolved(scope: Scope | undefined, ctx: CommandContext): Scope {
  if (scope === undefined || scope === 'all') return scope ?? 'all';
  return { vault: scope.vault, resourceGroup: scope.resourceGroup || ctx.defaults.vaultResourceGroup };
}

/**
 * A vault named with its Azure subscription is kept with that subscription's id, read from the
 * vault itself (which also checks the bot works there and the vault exists); a subscription named
 * for "all vaults" is refused rather than ignored.
 */
async function inSubscription(
  scope: Scope,
  subscription: string | undefined,
  ctx: CommandContext,
): Promise<Scope> {
  if (!subscription) return scope;
  if (scope === 'all') {
    throw new AppError(
      'validation.arguments',
      'Alerts are subscribed per vault or for all vaults, not per subscription.',
      {
        hint: 'Name the vault: subscribe to backup alerts for vault <rg>/<vault> in subscription "<name>"',
      },
    );
  }
  const vault = await ctx.service.getVault({
    vault: scope.vault,
    resourceGroup: scope.resourceGroup,
    subscription,
  });
  return { ...scope, subscription: vault.subscriptionId };
}

function fleetOf(ctx: CommandContext): FleetServices {
  if (!ctx.fleet)
    throw new AppError('fleet.unavailable', 'Alert subscriptions are not available in this bot.');
  return ctx.fleet;
}

/** The conversation's address for later posts; a clear refusal where the channel cannot be posted to. */
export function addressFor(ctx: CommandContext): ChannelAddress {
  const address = addressOf(ctx.request);
  if (!address)
    throw new AppError(
      'validation.channel',
      'This conversation cannot receive messages from the bot later.',
      {
        hint: 'Type the command in the Teams channel or chat that should get them.',
      },
    );
  return address;
}

export const subscribeAlertsCommand = defineCommand<SubscribeArgs>({
  id: 'alerts.subscribe',
  title: 'Subscribe to backup alerts',
  summary:
    'Posts an alert card here for every scheduled backup that fails (or completes with warnings) in a vault, or in all vaults.',
  examples: [
    'subscribe to backup alerts',
    'subscribe to backup alerts for vault rg-chatops/rsv-westus',
    'subscribe to backup alerts for all vaults only failures',
    'subscribe to backup alerts for vault rg-backup-east/rsv-eastus in subscription "Contoso East"',
  ],
  role: 'operator',
  effect: 'write',
  keywords: ['subscribe', 'subscribe to backup alerts'],
  usage: 'subscribe to backup alerts',
  args: [
    { name: 'scope', kind: 'vault', required: false, says: 'for vault <vault> | for all vaults' },
    { name: 'onlyFailures', kind: 'topic', required: false, says: 'only failures' },
    SUBSCRIPTION_ARG,
  ],
  parse(text) {
    const m = SUBSCRIBE.exec(text);
    if (!m) return undefined;
    const scope = scopeOf(m);
    return { ...(scope ? { scope } : {}), onlyFailures: Boolean(m[4]) };
  },
  targetOf: (args) => describeScope(args.scope ?? 'all'),
  async execute(args, ctx) {
    const fleet = fleetOf(ctx);
    const address = addressFor(ctx);
    const scope = await inSubscription(resolved(args.scope, ctx), args.subscription, ctx);
    const added = await fleet.subscriptions.subscribe({
      address,
      ...(scope === 'all' ? {} : { vault: scope }),
      onlyFailures: args.onlyFailures,
      createdBy: ctx.request.user.id,
      createdAt: ctx.now().toISOString(),
    });
    return { kind: 'alerts-subscribed', added, scope, onlyFailures: args.onlyFailures };
  },
});

export const unsubscribeAlertsCommand = defineCommand<{ scope?: Scope; subscription?: string }>({
  id: 'alerts.unsubscribe',
  title: 'Unsubscribe from backup alerts',
  summary:
    "Stops this conversation's backup alerts: for one vault, for all vaults, or every subscription here.",
  examples: ['unsubscribe from backup alerts', 'unsubscribe from backup alerts for vault rsv-westus'],
  role: 'operator',
  effect: 'write',
  keywords: ['unsubscribe', 'unsubscribe from backup alerts'],
  usage: 'unsubscribe from backup alerts',
  args: [
    { name: 'scope', kind: 'vault', required: false, says: 'for vault <vault> | for all vaults' },
    SUBSCRIPTION_ARG,
  ],
  parse(text) {
    const m = UNSUBSCRIBE.exec(text);
    if (!m) return undefined;
    const scope = scopeOf(m);
    return scope ? { scope } : {};
  },
  targetOf: (args) => (args.scope ? describeScope(args.scope) : 'every subscription here'),
  async execute(args, ctx) {
    const fleet = fleetOf(ctx);
    const target = targetIdOf(addressFor(ctx));
    const scope =
      args.scope === undefined && !args.subscription
        ? undefined
        : await inSubscription(resolved(args.scope, ctx), args.subscription, ctx);
    const removed = await fleet.subscriptions.unsubscribe(
      target,
      scope === undefined ? 'every' : scope === 'all' ? undefined : scope,
    );
    return { kind: 'alerts-unsubscribed', removed, ...(scope ? { scope } : {}) };
  },
});

export const listSubscriptionsCommand = defineCommand<Record<string, never>>({
  id: 'alerts.subscriptions',
  title: 'Alert subscriptions',
  summary: "This conversation's backup alert subscriptions and daily digest.",
  examples: ['subscriptions'],
  role: 'reader',
  effect: 'read',
  keywords: ['subscriptions'],
  usage: 'subscriptions',
  args: [],
  parse(text) {
    return /^(?:(?:list|show)\s+)?(?:(?:my|our|the)\s+)?(?:backup\s+)?(?:alert\s+)?subscriptions$/i.test(text)
      ? {}
      : undefined;
  },
  async execute(_args, ctx) {
    const fleet = fleetOf(ctx);
    const address = addressOf(ctx.request);
    const target = address ? targetIdOf(address) : undefined;
    const subscriptions = target ? await fleet.subscriptions.list(target) : [];
    const digest = target ? await fleet.digests.get(target) : undefined;
    return { kind: 'subscriptions-listed', subscriptions, ...(digest ? { digest } : {}) };
  },
});
