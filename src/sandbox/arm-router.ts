export interface ArmRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  body: unknown;
  /** `https://127.0.0.1:port`, for absolute URLs in headers and next links. */
  baseUrl: string;
}

export interface ArmResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Answers a request, or throws an ArmError that the pipeline turns into the ARM error answer. */
export type ArmHandler = (req: ArmRequest) => ArmResponse;

interface Route {
  method: string;
  segments: string[];
  handler: ArmHandler;
}

/**
 * A small path matcher: `{name}` segments capture (URL-decoded), literal segments compare
 * case-insensitively, as ARM does.
 */
export class ArmRouter {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: ArmHandler): this {
    this.routes.push({ method, segments: split(pattern), handler });
    return this;
  }

  match(
    method: string,
    path: string,
  ): { handler: ArmHandler; params: Record<string, string> } | 'method-not-allowed' | undefined {
    const parts = split(path);
    let pathMatched = false;
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (r.method === method) return { handler: r.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith('{') && p.endsWith('}')) {
      try {
        params[p.slice(1, -1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p.toLowerCase() !== v.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}
