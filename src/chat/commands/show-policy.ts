import { defineCommand } from '../command.js';

export const showPolicyCommand = defineCommand<{ name: string }>({
  id: 'policy.show',
  title: 'Show a policy',
  summary: "A policy's schedule and retention.",
  examples: ['policy EnhancedPolicy'],
  role: 'reader',
  effect: 'read',
  keywords: ['policy', 'show policy'],
  usage: 'policy <name>',
  args: [{ name: 'name', kind: 'policy', required: true, says: '<name>' }],
  parse(text) {
    const m = /^(?:(?:show|get|describe)\s+)?(?:the\s+)?(?:backup\s+)?policy\s+(?!for\b)(\S+)$/i.exec(text);
    return m ? { name: m[1]! } : undefined;
  },
  async execute({ name }, ctx) {
    const policy = await ctx.service.getPolicy(name);
    return { kind: 'policy-read', vaultName: ctx.defaults.vaultName, policy };
  },
});
