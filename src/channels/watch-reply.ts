import type { Reply } from '../chat/chat-request.js';
import type { JobWatcher } from '../jobs/job-watcher.js';

/**
 * After a channel has shown a reply that asks for a watch, registers the message with the
 * JobWatcher: the same for every platform, only `messageRef` (where the message lives) differs.
 * `shown: false` says the message still shows something else (its update was given up): the
 * watcher then repaints it on its next round instead of waiting for a phase change.
 */
export async function watchReply(
  watcher: JobWatcher,
  reply: Reply,
  platform: string,
  messageRef: Record<string, unknown>,
  shown = true,
): Promise<void> {
  if (!reply.watch) return;
  const view = reply.view.kind === 'job' ? reply.view : undefined;
  await watcher.watch(
    {
      ...reply.watch,
      platform,
      messageRef,
      extras: { retainUntil: view?.retainUntil, consistency: view?.consistency },
    },
    shown ? view?.job : undefined,
  );
}
