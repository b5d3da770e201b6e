import type { ApprovalWorkflow, Settled } from '../approvals/approval-workflow.js';
import { toApprovalView } from '../cards/present-approval.js';
import type { View } from '../cards/views.js';
import type { JobWatcher } from '../jobs/job-watcher.js';
import type { Conversations } from './conversation.js';
import type { MessageRef, StartedJob } from '../domain/index.js';
import { asMessageRef } from '../domain/index.js';

/**
 * An approval's card follows its request to the end. The approved action runs in the background
 * (ApprovalWorkflow), so its outcome comes after the approver's click was answered: it is shown
 * on the card that last showed the request, wherever that is (the card where Approve was pressed,
 * or the answer to a typed "approve"). The card's place is stored with the request, so an outcome
 * found by a later process (its sweep) reaches the card too. An action that started a job (replace
 * disks: a restore) hands the card to the JobWatcher, which follows the job on it to its end, as
 * it does a backup's; the watch is a row, so a restarted process goes on with it.
 */
export class ApprovalCards {
  constructor(
    private readonly approvals: ApprovalWorkflow,
    private readonly watcher: JobWatcher,
    private readonly conversations: () => Conversations,
  ) {}

  /**
   * A view was shown on a card: an approval's card is remembered. If the action ended between
   * the answer and now, the newer view is returned for the card.
   */
  async shown(platform: string, ref: MessageRef, view: View): Promise<View | undefined> {
    if (view.kind !== 'approval') return undefined;
    await this.approvals.attachCard(view.id, { platform, ref: { ...ref } });
    const now = toApprovalView(await this.approvals.record(view.id));
    if (now.state === view.state) return undefined;
    const job = now.state === 'executed' ? await this.approvals.startedJob(view.id) : undefined;
    if (job) await this.follow(job, platform, ref);
    return now;
  }

  /** An approved action ended: its card shows how (or the new request, when its plan changed). */
  async settled(s: Settled): Promise<void> {
    const card = await this.approvals.cardOf(s.id);
    if (!card) return;
    const ref = asMessageRef(card.ref);
    const view = toApprovalView(await this.approvals.record(s.reproposed ?? s.id));
    if (s.reproposed) await this.approvals.attachCard(s.reproposed, card);
    await this.conversations().show(card.platform, ref, view);
    if (s.job) await this.follow(s.job, card.platform, ref);
  }

  /** The watcher paints the job's card on the approval's card at its next round, and on every change. */
  private follow(job: StartedJob, platform: string, ref: MessageRef): Promise<void> {
    return this.watcher.watch({ ...job, platform, messageRef: { ...ref }, extras: {} });
  }
}
