import type { IncomingHttpHeaders } from 'node:http';
import { isValidSlackRequest } from '@slack/bolt';
import type { DeliveryLog } from '../delivery-log.js';

/** Slack's window for a signed request: its timestamp within 5 minutes of ours, either way. */
const WINDOW_S = 5 * 60;

export type ReplayVerdict = 'new' | 'replayed' | 'out-of-window';

/**
 * Bolt checks a request's signature and refuses timestamps more than 5 minutes old, but answers
 * the same signed request as often as it is sent within those 5 minutes, and takes timestamps
 * from the future. This check runs first: a timestamp outside the window either way is refused;
 * a validly signed request seen before is a replay. Signatures are recorded in the delivery log
 * (the store: every replica sees them, and a restart forgets none within the window); only
 * validly signed requests are recorded, so nobody else can fill it. Slack's own retries of an
 * event are new requests, signed anew, and are dropped by event id further on.
 */
export class SlackReplayGuard {
  constructor(
    private readonly o: {
      signingSecret: string;
      deliveries: DeliveryLog;
      now?: () => number;
    },
  ) {}

  async check(headers: IncomingHttpHeaders, rawBody: string): Promise<ReplayVerdict> {
    const nowMs = this.o.now?.() ?? Date.now();
    const timestamp = Number(headers['x-slack-request-timestamp']);
    const signature = headers['x-slack-signature'];
    if (!Number.isFinite(timestamp) || Math.abs(nowMs / 1000 - timestamp) > WINDOW_S) return 'out-of-window';
    // A bad signature is Bolt's to refuse (401); it is not recorded.
    if (
      typeof signature !== 'string' ||
      !isValidSlackRequest({
        signingSecret: this.o.signingSecret,
        body: rawBody,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: nowMs,
      })
    )
      return 'new';
    return (await this.o.deliveries.firstTime(`slack-signature:${signature}`)) ? 'new' : 'replayed';
  }
}
