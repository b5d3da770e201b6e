import { defineCommand } from '../command.js';
import { readListing } from '../phrases/listing-phrase.js';
import { VM_NOUNS } from '../phrases/vocabulary.js';

const VM_AFTER_NOUN = new RegExp(
  String.raw`^(?:(?:for|of|on)\s+)?(?:(?:the\s+)?${VM_NOUNS}\s+)?([A-Za-z0-9][\w./-]*)$`,
  'i',
);
/** "… does myVM have", "… are there for myVM". */
const VM_QUESTION =
  /^(?:does|do|did)\s+(\S+)\s+have$|^(?:are\s+there|exist|do\s+we\s+have)\s+(?:for|of|on)\s+(?:vm\s+)?(\S+)$/i;

export const recoveryPointsCommand = defineCommand<{ vm: string }>({
  id: 'recoverypoints.list',
  title: 'Recovery points',
  summary: 'The restore points a VM has in the vault, newest first.',
  examples: ['recovery points for myVM', 'what restore points does myVM have?'],
  role: 'reader',
  effect: 'read',
  keywords: ['recovery points', 'restore points'],
  usage: 'recovery points for <vm>',
  args: [{ name: 'vm', kind: 'vm', required: true, says: '<vm>' }],
  parse(text) {
    const rest = readListing(text, String.raw`(?:recovery|restore|backup)\s*points?`);
    if (!rest) return undefined;
    const m = VM_QUESTION.exec(rest) ?? VM_AFTER_NOUN.exec(rest);
    const vm = m?.[1] ?? m?.[2];
    return vm ? { vm } : undefined;
  },
  targetOf: (a) => a.vm,
  async execute({ vm }, ctx) {
    const points = await ctx.service.listRecoveryPoints(vm);
    return { kind: 'recovery-points-listed', vmName: vm, vaultName: ctx.defaults.vaultName, points };
  },
});
