import type { ChatRequest } from '../../src/domain/index.js';
import type { Reply } from '../../src/chat/reply.js';
import { CommandRegistry } from '../../src/chat/command-registry.js';
import { RoleDirectory } from '../../src/chat/roles.js';
import type { Harness } from '../azure/service-harness.js';

/** The chat users of the registry tests: Alice operates, Carol reads, Mallory has no role. */
export const alice = { id: 'web:alice', name: 'Alice' };
export const carol = { id: 'web:carol', name: 'Carol' };
export const stranger = { id: 'web:mallory', name: 'Mallory' };

export interface RegistryOn {
  registry: CommandRegistry;
  say(user: typeof alice, text: string): Promise<Reply>;
  click(user: typeof alice, verb: string, data: Record<string, unknown>): Promise<Reply>;
}

/** The command registry (no approvals) on a harness's real backup service, on its simulated clock. */
export function registryOn(h: Harness): RegistryOn {
  const registry = new CommandRegistry({
    service: h.service,
    roles: new RoleDirectory(
      [
        { userId: alice.id, roles: ['operator'] },
        { userId: carol.id, roles: ['reader'] },
      ],
      [],
    ),
    defaults: {
      subscriptionId: 'sub',
      vaultName: 'rsv-westus',
      vaultResourceGroup: 'rg-chatops',
      portalLinks: true,
    },
    now: () => h.sandbox.clock.now(),
  });
  return {
    registry,
    say: (user, text) =>
      registry.handle({ platform: 'web', user, conversationId: 'c1', text } satisfies ChatRequest),
    click: (user, verb, data) =>
      registry.handle({ platform: 'web', user, conversationId: 'c1', action: { verb, data } }),
  };
}
