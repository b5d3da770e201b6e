import type { Reply } from '../chat/chat-request.js';
import type { JobWatcher } from '../jobs/job-watcher.js';

/**
 * After a channel has shown a reply that asks for a watch, registers the message with the
 * JobWatcher: the same for every platform, only `messageRef` (where the message lives) differs.
 */
export async function watchReply(
  watcher: JobWatcher,
  reply: Reply,
  platform: string,
  messageRef: Record<string, unknown>,
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
    view?.job,
  );
}
