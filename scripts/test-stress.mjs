#!/usr/bin/env node
// The timing-sensitive layers (test/e2e and test/channels: vitest project "timing") run RUNS times
// in a row while a CPU hog keeps every core busy, as on a shared CI machine with other work beside
// the suite. Prints each run's counts, duration and failures; exits non-zero unless every run is
// green. Not part of `npm test`: it takes a while (about RUNS × 4 minutes on two cores).
//
//   npm run test:stress                 # 5 runs
//   STRESS_RUNS=2 npm run test:stress   # fewer
//   npm run test:stress -- test/e2e/replicas.test.ts   # only some files (vitest filters)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.STRESS_RUNS ?? 5);
const filters = process.argv.slice(2);
const root = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'backup-chatops-stress-'));

// One hog per core: a busy loop in a child process. Each is bounded (it ends by itself after two
// hours, should this script die without stopping it) and is stopped by its own pid at the end.
const HOG_LIMIT_MS = 2 * 60 * 60 * 1000;
const hogs = Array.from({ length: availableParallelism() }, () =>
  spawn(process.execPath, ['-e', `const end = Date.now() + ${HOG_LIMIT_MS}; while (Date.now() < end) {}`], {
    stdio: 'ignore',
  }),
);
/** The vitest run under way: its own process group, so stopping it stops the bots it started. */
let current;
const stopHogs = () => {
  for (const h of hogs) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
  if (current && current.exitCode === null && current.signalCode === null) {
    try {
      process.kill(-current.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
};
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
console.log(`stress: ${RUNS} runs of the timing-sensitive tests beside ${hogs.length} CPU hogs`);

/** One `vitest run --project timing`, its JSON report read back. */
function runOnce(n) {
  const report = join(out, `run-${n}.json`);
  const args = [
    'vitest',
    'run',
    '--project',
    'timing',
    '--reporter=dot',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...filters,
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npx', args, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
      detached: true,
    });
    current = child;
    child.on('exit', (code) => {
      const seconds = (Date.now() - started) / 1000;
      let tests = [];
      try {
        const json = JSON.parse(readFileSync(report, 'utf8'));
        tests = json.testResults.flatMap((file) =>
          (file.assertionResults ?? []).map((t) => ({ ...t, file: file.name.replace(`${root}/`, '') })),
        );
        // A file that failed outside its tests (a hook, an import): its tests show as skipped.
        for (const file of json.testResults)
          if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'))
            tests.push({
              status: 'failed',
              fullName: '(file)',
              file: file.name.replace(`${root}/`, ''),
              failureMessages: [file.message],
            });
      } catch (e) {
        tests.push({ status: 'failed', fullName: `no report: ${e.message}`, file: '', failureMessages: [] });
      }
      resolve({ code, seconds, tests });
    });
  });
}

const results = [];
try {
  for (let n = 1; n <= RUNS; n++) {
    console.log(`\n── stress run ${n}/${RUNS}`);
    const r = await runOnce(n);
    const passed = r.tests.filter((t) => t.status === 'passed').length;
    const failed = r.tests.filter((t) => t.status === 'failed');
    const skipped = r.tests.length - passed - failed.length;
    const green = r.code === 0 && failed.length === 0;
    results.push({ n, green, passed, failed: failed.length, skipped, seconds: r.seconds });
    console.log(
      `stress run ${n}/${RUNS}: ${green ? 'green' : 'RED'} — ${passed} passed, ${failed.length} failed, ` +
        `${skipped} skipped, ${r.seconds.toFixed(0)} s`,
    );
    for (const t of failed) {
      console.log(`  ✗ ${t.file} › ${t.fullName}`);
      for (const m of t.failureMessages ?? [])
        console.log(`      ${String(m).split('\n').slice(0, 12).join('\n      ')}`);
    }
  }
} finally {
  stopHogs();
  rmSync(out, { recursive: true, force: true });
}

const green = results.filter((r) => r.green).length;
console.log(`\nstress: ${green}/${RUNS} runs green`);
for (const r of results)
  console.log(
    `  run ${r.n}: ${r.green ? 'green' : 'RED'}  ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${r.seconds.toFixed(0)} s`,
  );
process.exitCode = green === RUNS ? 0 : 1;
