import type { ApprovalWorkflow, Settled } from '../approvals/approval-workflow.js';
import type { View } from '../cards/views.js';
import type { Conversations } from './conversation.js';
import type { MessageRef } from './message-ref.js';
import { asMessageRef } from './message-ref.js';

/**
 * An approval's card follows its request to the end. The approved action runs in the background
 * (ApprovalWorkflow), so its outcome comes after the approver's click was answered: it is shown
 * on the card that last showed the request, wherever that is (the card where Approve was pressed,
 * or the answer to a typed "approve"). The card's place is stored with the request, so an outcome
 * found by a later process (its sweep) reaches the card too.
 */
export class ApprovalCards {
  constructor(
    private readonly approvals: ApprovalWorkflow,
    private readonly conversations: () => Conversations,
  ) {}

  /**
   * A view was shown on a card: an approval's card is remembered. If the action ended between
   * the answer and now, the newer view is returned for the card.
   */
  async shown(platform: string, ref: MessageRef, view: View): Promise<View | undefined> {
    if (view.kind !== 'approval') return undefined;
    await this.approvals.attachCard(view.id, { platform, ref: { ...ref } });
    const now = await this.approvals.view(view.id);
    return now.state !== view.state ? now : undefined;
  }

  /** An approved action ended: its card shows how (or the new request, when its plan changed). */
  async settled(s: Settled): Promise<void> {
    const card = await this.approvals.cardOf(s.id);
    if (!card) return;
    const view = await this.approvals.view(s.reproposed ?? s.id);
    if (s.reproposed) await this.approvals.attachCard(s.reproposed, card);
    await this.conversations().show(card.platform, asMessageRef(card.ref), view);
  }
}
