import { defineCommand } from '../command.js';

export const helpCommand = defineCommand<{ topic?: string }>({
  id: 'help',
  title: 'Help',
  summary: 'What I can do for you, with examples.',
  examples: ['help', 'help backup'],
  role: 'reader',
  effect: 'read',
  keywords: ['help', 'commands'],
  parse(text) {
    const m =
      /^(?:help|\?|commands|usage|what can you do|how do i use (?:you|this))(?:\s+(?:with|on|for)?\s*(.+))?$/i.exec(
        text,
      );
    return m ? { topic: m[1]?.toLowerCase() } : undefined;
  },
  async run({ topic }, ctx) {
    const visible = ctx.commands.filter((c) => ctx.roles.has(c.role));
    const matching = topic
      ? visible.filter((c) =>
          [c.id, c.title, ...c.keywords, ...c.examples].some((s) => s.toLowerCase().includes(topic)),
        )
      : [];
    const shown = matching.length > 0 ? matching : visible;
    return {
      view: {
        kind: 'help',
        role: [...ctx.roles].join(', '),
        commands: shown.map((c) => ({ id: c.id, title: c.title, summary: c.summary, examples: c.examples })),
      },
    };
  },
});
