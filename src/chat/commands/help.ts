import { defineCommand } from '../command.js';
import { helpEntryOf } from '../usage.js';

export const helpCommand = defineCommand<{ topic?: string }>({
  id: 'help',
  title: 'Help',
  summary: 'What I can do for you, with examples.',
  examples: ['help', 'help backup'],
  role: 'reader',
  effect: 'read',
  keywords: ['help', 'commands'],
  usage: 'help',
  args: [{ name: 'topic', kind: 'topic', required: false, says: '<topic>' }],
  parse(text) {
    const m =
      /^(?:help(?:\s+me)?|\?|commands|usage|what\s+can\s+(?:you|i)\s+(?:do|ask|say|type)|what\s+do\s+you\s+do|how\s+do\s+i\s+use\s+(?:you|this)|how\s+does\s+this\s+work)(?:\s+(?:with|on|for)?\s*(.+))?$/i.exec(
        text,
      );
    return m ? { topic: m[1]?.toLowerCase() } : undefined;
  },
  async execute({ topic }, ctx) {
    const visible = ctx.commands.filter((c) => ctx.roles.has(c.role));
    const matching = topic
      ? visible.filter((c) =>
          [c.id, c.title, ...c.keywords, ...c.examples].some((s) => s.toLowerCase().includes(topic)),
        )
      : [];
    const shown = matching.length > 0 ? matching : visible;
    return { kind: 'help', roles: [...ctx.roles], commands: shown.map(helpEntryOf) };
  },
});
