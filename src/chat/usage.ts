import type { Command } from './command.js';
import type { CommandHelp } from './command-outcome.js';

/** The command's whole usage line for help: its required form, then each optional argument in brackets. */
export function usageLine(c: Pick<Command, 'usage' | 'args'>): string {
  return [c.usage, ...c.args.filter((a) => !a.required).map((a) => `[${a.says}]`)].join(' ');
}

/** How help lists the command. */
export function helpEntryOf(c: Command): CommandHelp {
  return { id: c.id, title: c.title, summary: c.summary, usage: usageLine(c), examples: c.examples };
}

/** The command's required form with its placeholders filled in ("backup <vm> now" → "backup myVM now"). */
export function sayWith(c: Pick<Command, 'usage'>, values: Record<string, string>): string {
  return c.usage.replace(/<([\w-]+)>/g, (whole, name: string) => values[name] ?? whole);
}
