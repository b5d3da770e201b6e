import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics (DESIGN.md section 8): Azure calls by operation and status, chat answers and
 * card updates by platform, commands by outcome, watched jobs, approvals by state, and the
 * JobWatcher's round duration. Gauges read their value from the store at scrape time.
 */
export interface MetricsSources {
  watchedJobs: () => Promise<number>;
  approvalsByState: () => Promise<Record<string, number>>;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly azure = new Counter({
    name: 'backup_chatops_azure_requests_total',
    help: 'Azure Resource Manager requests by operation and HTTP status (retries included).',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });
  private readonly chat = new Counter({
    name: 'backup_chatops_chat_messages_total',
    help: 'Chat answers posted and card updates sent, by platform.',
    labelNames: ['platform', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly commands = new Counter({
    name: 'backup_chatops_commands_total',
    help: 'Commands handled, by command and outcome code.',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly round = new Histogram({
    name: 'backup_chatops_watch_round_seconds',
    help: 'Duration of one JobWatcher polling round.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'backup_chatops_' });
    new Gauge({
      name: 'backup_chatops_watched_jobs',
      help: 'Jobs whose cards are being kept up to date.',
      registers: [this.registry],
      async collect() {
        this.set(await sources.watchedJobs());
      },
    });
    new Gauge({
      name: 'backup_chatops_approvals',
      help: 'Approval requests by state.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries(await sources.approvalsByState())) this.set({ state }, n);
      },
    });
  }

  azureRequest(operation: string, status: number): void {
    this.azure.inc({ operation, status: String(status) });
  }

  chatMessage(platform: string, kind: 'post' | 'update'): void {
    this.chat.inc({ platform, kind });
  }

  command(command: string, outcome: string): void {
    this.commands.inc({ command, outcome });
  }

  watchRound(seconds: number): void {
    this.round.observe(seconds);
  }
}

/** A bounded label for an ARM request: the method and the last resource type in its path. */
export function armOperation(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  // ARM paths alternate type/name after /subscriptions/{id}; keep the type words only.
  const types = segments.filter((_, i) => i % 2 === 0).filter((s) => !/^[0-9a-f-]{36}$/i.test(s));
  const last = types.at(-1) ?? 'root';
  return `${method} ${/^[A-Za-z][A-Za-z.]{1,60}$/.test(last) ? last : 'other'}`;
}
