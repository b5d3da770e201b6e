import type { Logger } from '../logger.js';
import type { ApprovalWorkflow } from './approval-workflow.js';

/**
 * Requests a crash left half-run are closed (never re-run), lapsed ones expired: once now, then
 * each minute. `staleMs` is how old a run must be to be surely dead.
 */
export async function startApprovalSweeps(
  approvals: Pick<ApprovalWorkflow, 'sweep'>,
  o: { staleMs: number; logger: Logger },
): Promise<{ stop(): void }> {
  const sweep = (): Promise<void> =>
    approvals
      .sweep(o.staleMs)
      .then((r) => {
        if (r.interrupted > 0) o.logger.warn('approvals interrupted by a stop were closed', r);
      })
      .catch((e: unknown) =>
        o.logger.warn('approval sweep failed', { error: e instanceof Error ? e.message : String(e) }),
      );
  await sweep();
  const timer = setInterval(() => void sweep(), 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
