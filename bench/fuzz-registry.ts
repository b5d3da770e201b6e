/**
 * `npm run fuzz`: 100,000 seeded fuzzed texts through the whole command registry on the real SDK
 * clients and a fresh sandbox. Prints count, answered, crashes, unhandled rejections and duration;
 * exits non-zero when any text was not answered or crashed. `FUZZ_COUNT`, `FUZZ_CONCURRENCY`.
 */
import { fuzzRegistry } from '../test/support/registry-fuzz.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const count = Number(args.get('count') ?? 100_000);
const concurrency = Number(args.get('concurrency') ?? 4);
const f = await fuzzRegistry({ count, seed: 7, concurrency });
const top = [...f.codes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
process.stdout.write(
  [
    `fuzzed texts through the registry: ${f.count.toLocaleString('en')} (concurrency ${concurrency})`,
    `answered:             ${f.answered.toLocaleString('en')}`,
    `crashes:              ${f.crashes}${f.crashTexts.length ? ` e.g. ${f.crashTexts.join(', ')}` : ''}`,
    `unhandled rejections: ${f.unhandledRejections}`,
    `duration:             ${(f.durationMs / 1000).toFixed(1)} s (${Math.round(f.count / (f.durationMs / 1000))} texts/s)`,
    `rss:                  ${Math.round(process.memoryUsage().rss / 1_048_576)} MB`,
    `answers:              ${top.map(([k, n]) => `${k} ${n}`).join(', ')}`,
    '',
  ].join('\n'),
);
process.exitCode = f.answered === f.count && f.crashes === 0 && f.unhandledRejections === 0 ? 0 : 1;
