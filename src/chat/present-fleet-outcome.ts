import type { MessageView } from '../cards/views.js';
import type { AlertScope, CommandOutcome } from './command-outcome.js';

/** The words of the fleet commands' answers: alert subscriptions and the daily digest. */

type Outcome<K extends CommandOutcome['kind']> = Extract<CommandOutcome, { kind: K }>;

export function describeScope(scope: AlertScope): string {
  return scope === 'all' ? 'all vaults' : `vault ${vaultWords(scope)}`;
}

/** A vault as typed back: `<rg>/<vault>`, with its subscription when it was named. */
function vaultWords(v: Exclude<AlertScope, 'all'>): string {
  return `${v.resourceGroup}/${v.vault}${v.subscription ? ` in subscription ${v.subscription}` : ''}`;
}

export function presentSubscribed(o: Outcome<'alerts-subscribed'>): MessageView {
  const { scope } = o;
  return {
    kind: 'message',
    tone: 'success',
    title: o.added ? 'Subscribed to backup alerts' : 'Subscription updated',
    text: `This conversation gets an alert for every scheduled backup that ${
      o.onlyFailures ? 'fails' : 'fails or completes with warnings'
    } in ${describeScope(scope)}.`,
    facts: [
      {
        title: 'Stop',
        value: `unsubscribe from backup alerts${scope === 'all' ? '' : ` for vault ${vaultWords(scope)}`}`,
      },
    ],
  };
}

export function presentUnsubscribed({ removed, scope }: Outcome<'alerts-unsubscribed'>): MessageView {
  return {
    kind: 'message',
    tone: removed > 0 ? 'success' : 'info',
    title: removed > 0 ? 'Unsubscribed' : 'No such subscription',
    text:
      removed > 0
        ? `Removed ${removed} subscription${removed === 1 ? '' : 's'} of this conversation${scope ? ` (${describeScope(scope)})` : ''}.`
        : `This conversation has no subscription${scope ? ` for ${describeScope(scope)}` : ''}. Type "subscriptions" to see them.`,
  };
}

export function presentSubscriptions({
  subscriptions,
  digest,
}: Outcome<'subscriptions-listed'>): MessageView {
  const facts = subscriptions.map((s) => ({
    title: s.vault
      ? `${s.vault.subscription ? `${s.vault.subscription}/` : ''}${s.vault.resourceGroup}/${s.vault.vault}`
      : 'All vaults',
    value: `${s.onlyFailures ? 'failures only' : 'failures and warnings'} · by ${s.createdBy}`,
  }));
  if (digest) facts.push({ title: 'Daily digest', value: `${digest.time} UTC` });
  return {
    kind: 'message',
    tone: 'info',
    title: 'Subscriptions of this conversation',
    text:
      facts.length > 0
        ? 'What this conversation gets unasked.'
        : 'None yet: type "subscribe to backup alerts" or "digest daily at 08:00".',
    ...(facts.length > 0 ? { facts } : {}),
  };
}

export function presentDigestScheduled({ time, fromTomorrow }: Outcome<'digest-scheduled'>): MessageView {
  return {
    kind: 'message',
    tone: 'success',
    title: 'Daily digest scheduled',
    text: `The backup health of the vaults is posted here every day at ${time} UTC${
      fromTomorrow ? ', from tomorrow' : ''
    }. Type "backup health" for it now, "digest off" to stop.`,
  };
}

export function presentDigestStopped(removed: boolean): MessageView {
  return {
    kind: 'message',
    tone: removed ? 'success' : 'info',
    title: removed ? 'Daily digest stopped' : 'No daily digest here',
    text: removed ? 'No more daily digests in this conversation.' : 'This conversation has no daily digest.',
  };
}
