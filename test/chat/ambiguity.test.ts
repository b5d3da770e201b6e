import { describe, expect, it } from 'vitest';
import type { Clarification } from '../../src/chat/command-outcome.js';
import { COMMANDS } from '../../src/chat/command-list.js';
import { clarifyCommand } from '../../src/chat/commands/clarify.js';
import type { CommandContext } from '../../src/chat/command.js';
import { interpretText } from '../../src/chat/interpret-text.js';
import { presentOutcome } from '../../src/chat/present-outcome.js';
import { usageLine } from '../../src/chat/usage.js';
import { isAppError } from '../../src/domain/index.js';

const now = new Date('2026-11-22T10:00:00Z');

/** Every button a reading of the text would show: the question's choices or the error's suggestions. */
function offered(text: string): { command?: string; buttons: string[] } {
  try {
    const { command, args } = interpretText(text, COMMANDS, now);
    return {
      command: command.id,
      buttons: command.id === 'clarify' ? (args as Clarification).choices.map((c) => c.text) : [],
    };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { buttons: (e.details.suggestions as string[] | undefined) ?? [] };
  }
}

/** One-letter typos of a word: each letter dropped, each pair of neighbours swapped, each letter doubled. */
function typos(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < word.length; i++) {
    out.add(word.slice(0, i) + word.slice(i + 1));
    out.add(word.slice(0, i) + word[i] + word.slice(i));
    if (i + 1 < word.length) out.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  }
  out.delete(word);
  return [...out];
}

describe('destructive commands are never reached by a guess', () => {
  const destructive = COMMANDS.filter((c) => c.effect === 'destructive');
  const typed = [
    'stop backup for myVM and delete data',
    'delete backup data of myVM',
    'delete resource group rg-test',
    'restore myVM from latest replace disks',
    'replace disks of myVM',
  ];

  it('reads each of them when typed in full', () => {
    for (const t of typed) {
      expect(destructive.map((c) => c.id)).toContain(interpretText(t, COMMANDS, now).command.id);
    }
  });

  it('never runs or offers one for a misspelt word', () => {
    let tried = 0;
    for (const t of typed) {
      const words = t.split(' ');
      for (let w = 0; w < words.length; w++) {
        if (words[w] === 'myVM' || words[w] === 'rg-test') continue;
        // "disk" for "disks" is the grammar's own synonym, not a typo.
        for (const typo of typos(words[w]!).filter((x) => `${x}s` !== words[w])) {
          const text = [...words.slice(0, w), typo, ...words.slice(w + 1)].join(' ');
          tried++;
          const r = offered(text);
          const runs = r.command ? COMMANDS.find((c) => c.id === r.command) : undefined;
          // A typo in a filler word may still read as the command ("stop backup fro myVM and delete
          // data" does not; "delete the backup data" would): the command's own words must be there.
          if (runs?.effect === 'destructive') {
            expect(
              runs.keywords.some((k) => text.toLowerCase().includes(k)),
              text,
            ).toBe(true);
          }
          for (const b of r.buttons) {
            expect(interpretText(b, COMMANDS, now).command.effect, `${text} → button "${b}"`).not.toBe(
              'destructive',
            );
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(200);
  });

  it('says how to type one in full when a misspelling would have been destructive', () => {
    try {
      interpretText('delte resource group rg-x', COMMANDS, now);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.hint).toContain('type it in full, as "delete resource group rg-x"');
      expect(isAppError(e) && e.details.suggestions).not.toContain('delete resource group rg-x');
    }
  });
});

const presenting = {
  defaults: { subscriptionId: 's', vaultName: 'v', vaultResourceGroup: 'rg', portalLinks: false },
  now,
};

describe('ambiguous text gets a question with buttons', () => {
  it('asks what to do with a VM named alone, offering only what takes just a VM', async () => {
    const { command, args } = interpretText('myVM', COMMANDS, now);
    expect(command.id).toBe('clarify');
    const reply = presentOutcome(await clarifyCommand.execute(args, {} as CommandContext), presenting);
    expect(reply.view).toMatchObject({ kind: 'message', title: 'Which did you mean?' });
    if (reply.view.kind !== 'message') return;
    expect(reply.view.text).toContain('myVM');
    const buttons = reply.view.actions ?? [];
    expect(buttons.length).toBeGreaterThanOrEqual(3);
    for (const b of buttons) {
      expect(b.verb).toBe('command.run');
      const chosen = interpretText(b.data.text!, COMMANDS, now);
      expect(chosen.args).toMatchObject({ vm: 'myVM' });
    }
  });

  it('offers the safe reading of a half-said command as a button and the destructive one as words', async () => {
    const { command, args } = interpretText('delete myVM', COMMANDS, now);
    expect(command.id).toBe('clarify');
    const c = args as Clarification;
    expect(c.choices).toEqual([]);
    expect(c.typed).toEqual(['stop backup for myVM and delete data', 'delete resource group myVM']);
    const reply = presentOutcome(await clarifyCommand.execute(args, {} as CommandContext), presenting);
    expect(reply.view).toMatchObject({ kind: 'message', actions: [] });
    if (reply.view.kind === 'message') expect(reply.view.text).toContain('"delete resource group myVM"');

    const stop = interpretText('stop myVM', COMMANDS, now).args as Clarification;
    expect(stop.choices.map((x) => x.text)).toEqual(['stop backup for myVM']);
    expect(stop.typed).toEqual(['stop backup for myVM and delete data']);
  });

  it('keeps suggesting commands for text it does not know', () => {
    try {
      interpretText('make me a sandwich', COMMANDS, now);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.details.suggestions).toEqual(['help', 'list vms', 'status of jobs']);
    }
  });
});

describe('declared arguments', () => {
  it('every command names each required argument in its usage, and help shows the optional ones', () => {
    for (const c of COMMANDS) {
      for (const a of c.args.filter((x) => x.required)) {
        expect(c.usage.includes(a.says) || c.usage.includes(`<${a.name}>`), `${c.id} ${a.name}`).toBe(true);
      }
    }
    const backup = COMMANDS.find((c) => c.id === 'backup.now')!;
    expect(usageLine(backup)).toBe(
      'backup <vm> now [keep until <date> | for <n> days] [in vault [<rg>/]<vault>] [in subscription <id | "display name">]',
    );
  });

  it('a usage with its placeholders filled in parses back to the same command', () => {
    for (const c of COMMANDS) {
      const filled = c.usage
        .replace('<vm>', 'myVM')
        .replace('<name>', 'rsv-x')
        .replace('<region>', 'westus')
        .replace('<schedule>', 'daily at 22:00')
        .replace('<time>', '08:00')
        .replace('<id>', 'abc-123')
        .replace('<request>', '7f3a2c');
      expect(interpretText(filled, COMMANDS, now).command.id, filled).toBe(c.id);
    }
  });
});
