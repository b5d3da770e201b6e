import { isLoopbackHost } from './loopback.js';

/** Environment variables as given to `loadConfig(env)` (or a program's own entry point): names to strings. */
export type Env = Record<string, string | undefined>;

/** An Entra ID object, tenant or subscription id. */
export const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/**
 * Reads typed values from an environment record, collecting every problem instead of stopping at
 * the first, so a module's settings reader can report all of its mistakes and config.ts all of
 * everyone's at once.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** Records a problem a reader found beyond a single value's type or range. */
  problem(message: string): void {
    this.problems.push(message);
  }

  string(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  /** A comma-separated list; empty entries dropped. */
  list(name: string): string[] {
    return (this.string(name) ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${v}").`);
    return fallback;
  }

  /** An https URL; `allowLoopbackHttp` also accepts http://127.0.0.1 or localhost (local fakes). */
  url(name: string, allowLoopbackHttp = false): string | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      const loopback = allowLoopbackHttp && u.protocol === 'http:' && isLoopbackHost(u.hostname);
      if (u.protocol !== 'https:' && !loopback)
        this.problems.push(`${name} must be an https:// URL (got "${v}").`);
      return v.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be a URL (got "${v}").`);
      return undefined;
    }
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const n = this.number(name, fallback, min, max);
    if (!Number.isInteger(n)) {
      this.problems.push(`${name} must be a whole number (got "${this.env[name]}").`);
      return fallback;
    }
    return n;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const v = this.string(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max} (got "${v}").`);
      return fallback;
    }
    return n;
  }
}
