import type { Reply } from '../chat/reply.js';
import type { JobWatcher } from '../jobs/job-watcher.js';

/**
 * Shows a reply on an existing message and, when the reply asks for it, has the JobWatcher keep
 * that message up to date: the same for every platform, only `messageRef` (where the message
 * lives) and `show` (the platform call) differ.
 *
 * The watch is stored *before* the message is shown, so a crash right after showing a backup's
 * card cannot leave the job unwatched. If showing fails, the watch is marked as not shown and the
 * watcher's next round repaints the message; the error is passed on. (A crash between storing and
 * showing leaves the placeholder up until the job's next phase change: late, never lost.)
 */
export async function showAndWatch(
  watcher: JobWatcher,
  reply: Reply,
  platform: string,
  messageRef: Record<string, unknown>,
  show: () => Promise<void>,
): Promise<void> {
  if (!reply.watch) return show();
  const view = reply.view.kind === 'job' ? reply.view : undefined;
  const watch = {
    ...reply.watch,
    platform,
    messageRef,
    extras: { retainUntil: view?.retainUntil, consistency: view?.consistency },
  };
  await watcher.watch(watch, view?.job);
  try {
    await show();
  } catch (e) {
    await watcher.repaint(watch);
    throw e;
  }
}
