import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Trimmed, anonymised facts from recorded live sessions against real Azure: the az CLI's backup
 * recordings (Azure/azure-cli) and Azure PowerShell's session records (Azure/azure-powershell,
 * `powershell.*.json`), in test/fixtures/recorded-azure: the ground truth that both the backup
 * service and the sandbox are held to. Each fixture names its source file, date and api-version.
 */
export interface RecordedExchange {
  request: { method: string; path: string; query?: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
  elapsedSecondsSinceFirst?: number;
}

export interface RecordedFixture {
  recording: string;
  operation: string;
  notes: string;
  exchanges: RecordedExchange[];
}

const DIR = join(import.meta.dirname, '..', 'fixtures', 'recorded-azure');

export function recorded(name: string): RecordedFixture {
  return JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as RecordedFixture;
}

/** The `i`-th exchange whose request method and path match. */
export function exchange(f: RecordedFixture, method: string, path: RegExp, i = 0): RecordedExchange {
  const found = f.exchanges.filter(
    (e) => e.request.method === method && path.test(decodeURIComponent(e.request.path)),
  );
  const e = found[i];
  if (!e) throw new Error(`${f.recording} (${f.operation}) has no exchange #${i} ${method} ${path}`);
  return e;
}

export type Json = Record<string, unknown>;

/** The JSON type of a value, as a shape compares it. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Differences between the shape of `actual` and that of `expected` (a recorded body): keys missing
 * or extra (exact casing), and values of another JSON type, recursively; arrays compare their first
 * items. `allowMissing` and `allowExtra` name dotted paths (`properties.kpisHealths`) that may
 * differ, each for a reason the caller states.
 */
export function shapeDifferences(
  actual: unknown,
  expected: unknown,
  o: { allowMissing?: string[]; allowExtra?: string[] } = {},
  at = '',
): string[] {
  const out: string[] = [];
  const ka = kindOf(actual);
  const ke = kindOf(expected);
  if (ka !== ke) return [`${at || '(root)'}: ${ka} where Azure has ${ke}`];
  if (ka === 'array') {
    const [a] = actual as unknown[];
    const [e] = expected as unknown[];
    if (a !== undefined && e !== undefined) out.push(...shapeDifferences(a, e, o, `${at}[]`));
    return out;
  }
  if (ka !== 'object') return out;
  const a = actual as Json;
  const e = expected as Json;
  for (const key of Object.keys(e)) {
    const path = at ? `${at}.${key}` : key;
    if (!(key in a)) {
      if (!o.allowMissing?.includes(path)) out.push(`${path}: missing (Azure sends it)`);
      continue;
    }
    out.push(...shapeDifferences(a[key], e[key], o, path));
  }
  for (const key of Object.keys(a)) {
    const path = at ? `${at}.${key}` : key;
    if (!(key in e) && !o.allowExtra?.includes(path)) out.push(`${path}: not in the recording`);
  }
  return out;
}

/** Header names of a response, lower-cased, that a client acts on. */
export function actionableHeaders(headers: Record<string, unknown>): string[] {
  return Object.keys(headers)
    .map((h) => h.toLowerCase())
    .filter((h) => ['azure-asyncoperation', 'location', 'retry-after'].includes(h))
    .sort();
}

/**
 * The headers a client acts on in a 202 of an item operation (enable, stop, delete, backup now).
 * The az CLI's recordings drop Retry-After; PowerShell's keep `Retry-After: 60` on every one, and
 * the newer record decides: the CLI's headers plus Retry-After.
 */
export function itemAcceptedHeaders(cliHeaders: Record<string, unknown>): string[] {
  const ps = exchange(recorded('powershell.redo-protection-second-vault'), 'PUT', /protectedItems/);
  if (ps.response.headers['retry-after'] !== '60')
    throw new Error('the PowerShell record says Retry-After: 60');
  return [...new Set([...actionableHeaders(cliHeaders), 'retry-after'])].sort();
}
