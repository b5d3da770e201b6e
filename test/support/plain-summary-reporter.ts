import type { File, Task } from '@vitest/runner';
import type { Reporter } from 'vitest/reporters';

/**
 * Prints the run's closing line in the plain form CI reads in any language:
 * `tests: N passed, N failed, N skipped`.
 */
export default class PlainSummaryReporter implements Reporter {
  onFinished(files: File[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const walk = (t: Task): void => {
      if (t.type === 'suite') return t.tasks.forEach(walk);
      if (t.mode === 'skip' || t.mode === 'todo') counts.skipped++;
      else if (t.result?.state === 'pass') counts.passed++;
      else if (t.result?.state === 'fail') counts.failed++;
      else counts.skipped++;
    };
    for (const f of files) {
      f.tasks.forEach(walk);
      if (f.result?.state === 'fail' && f.tasks.length === 0) counts.failed++;
    }
    process.stdout.write(
      `\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
