import { CommandRegistry } from '../../src/chat/command-registry.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import { startHarness } from '../azure/service-harness.js';
import { fuzzTexts } from './fuzz-texts.js';

export interface RegistryFuzzFigures {
  count: number;
  /** Requests that came back with a view. */
  answered: number;
  /** `handle` threw, or answered with an internal error (a bug, never the user's fault). */
  crashes: number;
  unhandledRejections: number;
  durationMs: number;
  /** Answers by view kind or error code. */
  codes: Map<string, number>;
  /** The first few texts that crashed, for the report. */
  crashTexts: string[];
}

/**
 * Fuzzed texts through the whole CommandRegistry on the real SDK clients and a fresh sandbox, from
 * an operator (so backups, policies and vaults really run). `concurrency` requests are in flight
 * at once, as several chat users would be.
 */
export async function fuzzRegistry(o: {
  count: number;
  seed: number;
  concurrency?: number;
}): Promise<RegistryFuzzFigures> {
  const h = await startHarness();
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => void unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const figures: RegistryFuzzFigures = {
    count: o.count,
    answered: 0,
    crashes: 0,
    unhandledRejections: 0,
    durationMs: 0,
    codes: new Map(),
    crashTexts: [],
  };
  try {
    const registry = new CommandRegistry({
      service: h.service,
      roles: new RoleDirectory([{ userId: 'web:fuzz', roles: ['operator'] }], []),
      defaults: {
        subscriptionId: 's',
        vaultName: 'rsv-westus',
        vaultResourceGroup: 'rg-chatops',
        portalLinks: false,
      },
      now: () => h.sandbox.clock.now(),
    });
    const next = fuzzTexts(o.seed);
    let issued = 0;
    const crashed = (text: string): void => {
      figures.crashes++;
      if (figures.crashTexts.length < 5) figures.crashTexts.push(JSON.stringify(text).slice(0, 200));
    };
    const worker = async (): Promise<void> => {
      while (issued < o.count) {
        issued++;
        // Most texts are refused without any I/O, so the workers could run on microtasks alone for
        // minutes on a loaded machine: the test runner's own messages (answered on the event loop)
        // then time out ("Timeout calling onTaskUpdate"). Let the event loop turn now and then.
        if (issued % 100 === 0) await new Promise((r) => setImmediate(r));
        const text = next();
        try {
          const { view } = await registry.handle({
            platform: 'web',
            user: { id: 'web:fuzz', name: 'Fuzz' },
            conversationId: 'f',
            text,
          });
          figures.answered++;
          const code = view.kind === 'error' ? view.code : view.kind;
          figures.codes.set(code, (figures.codes.get(code) ?? 0) + 1);
          if (code === 'internal.error') crashed(text);
        } catch {
          crashed(text);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: o.concurrency ?? 1 }, worker));
    figures.durationMs = performance.now() - started;
    // A rejection nobody awaited surfaces on a later turn of the event loop.
    await new Promise((r) => setTimeout(r, 50));
    figures.unhandledRejections = unhandled.length;
    return figures;
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await h.close();
  }
}
