import { requiredField } from '../action-data.js';
import { defineCommand } from '../command.js';

export const recoveryPointsCommand = defineCommand<{ vm: string }>({
  id: 'recoverypoints.list',
  title: 'Recovery points',
  summary: 'The restore points a VM has in the vault, newest first.',
  examples: ['recovery points for myVM'],
  role: 'reader',
  effect: 'read',
  keywords: ['recovery points', 'restore points'],
  parse(text) {
    const m =
      /^(?:(?:list|show|get)\s+)?(?:the\s+|all\s+)?(?:recovery|restore)\s*points?(?:\s+(?:for|of|on))?\s+(?:vm\s+)?(\S+)$/i.exec(
        text,
      );
    return m ? { vm: m[1]! } : undefined;
  },
  actions: { 'recoverypoints.list': (d) => ({ vm: requiredField(d, 'vm') }) },
  targetOf: (a) => a.vm,
  async run({ vm }, ctx) {
    const points = await ctx.service.listRecoveryPoints(vm);
    return { view: { kind: 'recovery-points', vmName: vm, vaultName: ctx.defaults.vaultName, points } };
  },
});
