import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Clarification } from '../../src/chat/command-outcome.js';
import { COMMANDS } from '../../src/chat/command-list.js';
import { interpretText } from '../../src/chat/interpret-text.js';
import { isAppError } from '../../src/domain/index.js';

/**
 * The corpus (phrasing-corpus.txt): what an on-call engineer types, each with what it must parse
 * to. One test runs them all and reports every failure by its phrasing, so a grammar change shows
 * at once which everyday forms it broke.
 */
const now = new Date('2026-11-22T10:00:00Z');

type Expectation =
  | { kind: 'command'; id: string; args?: Record<string, unknown> }
  | { kind: 'question'; choices: string[] }
  | { kind: 'error'; code: string; suggestion?: string };

interface Phrasing {
  line: number;
  text: string;
  expect: Expectation;
}

function readCorpus(): Phrasing[] {
  const lines = readFileSync(new URL('./phrasing-corpus.txt', import.meta.url), 'utf8').split('\n');
  return lines.flatMap((raw, i): Phrasing[] => {
    if (!raw.trim() || raw.startsWith('#')) return [];
    const at = raw.indexOf(' => ');
    if (at < 0) throw new Error(`phrasing-corpus.txt line ${i + 1}: no " => "`);
    const text = raw.slice(0, at);
    const said = raw.slice(at + 4).trim();
    const line = i + 1;
    if (said.startsWith('?')) {
      const choices = said
        .slice(1)
        .split('|')
        .map((c) => c.trim())
        .filter(Boolean);
      return [{ line, text, expect: { kind: 'question', choices } }];
    }
    if (said.startsWith('!')) {
      const [code, suggestion] = said
        .slice(1)
        .split('|')
        .map((c) => c.trim());
      return [{ line, text, expect: { kind: 'error', code: code!, ...(suggestion ? { suggestion } : {}) } }];
    }
    const m = /^(\S+)(?:\s+(\{.*\}))?$/.exec(said);
    if (!m) throw new Error(`phrasing-corpus.txt line ${line}: cannot read "${said}"`);
    const args = m[2] ? (JSON.parse(m[2]) as Record<string, unknown>) : undefined;
    return [{ line, text, expect: { kind: 'command', id: m[1]!, ...(args ? { args } : {}) } }];
  });
}

/** What the phrasing did instead, in words; undefined when it did what the corpus says. */
function failure({ text, expect: want }: Phrasing): string | undefined {
  let got: { command: { id: string; effect: string }; args: unknown };
  try {
    got = interpretText(text, COMMANDS, now);
  } catch (e) {
    if (!isAppError(e)) return `crashed: ${String(e)}`;
    if (want.kind !== 'error') return `refused with ${e.code}: ${e.message}`;
    if (e.code !== want.code) return `refused with ${e.code}, not ${want.code}: ${e.message}`;
    if (e.message.length >= 400) return 'refused with a message of 400 characters or more';
    if (e.code !== 'validation.unknown_command' && !e.hint && e.suggestions.length === 0)
      return 'refused without a hint';
    const suggestions = (e.details.suggestions as string[] | undefined) ?? [];
    if (want.suggestion && !suggestions.includes(want.suggestion))
      return `suggested ${JSON.stringify(suggestions)}, not "${want.suggestion}"`;
    return undefined;
  }
  const { command, args } = got;
  if (want.kind === 'error') return `understood as ${command.id} ${JSON.stringify(args)}, not refused`;
  if (want.kind === 'question') {
    if (command.id !== 'clarify') return `understood as ${command.id} ${JSON.stringify(args)}, not asked`;
    const c = args as Clarification;
    const texts = c.choices.map((x) => x.text);
    if (JSON.stringify(texts) !== JSON.stringify(want.choices))
      return `asked with buttons ${JSON.stringify(texts)}, not ${JSON.stringify(want.choices)}`;
    if (texts.length === 0 && c.typed.length === 0) return 'asked with nothing to choose';
    // Every button must be a whole, safe command: it runs as typed when pressed.
    for (const t of texts) {
      const chosen = interpretText(t, COMMANDS, now).command;
      if (chosen.id === 'clarify' || chosen.effect === 'destructive')
        return `button "${t}" runs ${chosen.id}`;
    }
    return undefined;
  }
  if (command.id !== want.id) return `understood as ${command.id} ${JSON.stringify(args)}, not ${want.id}`;
  if (want.args) {
    try {
      expect(args).toMatchObject(want.args);
    } catch {
      return `arguments ${JSON.stringify(args)} do not contain ${JSON.stringify(want.args)}`;
    }
  }
  return undefined;
}

const CORPUS = readCorpus();

describe('the phrasing corpus', () => {
  it('holds at least 300 phrasings, no phrasing twice', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(300);
    const seen = CORPUS.map((p) => p.text);
    expect(seen.filter((t, i) => seen.indexOf(t) !== i)).toEqual([]);
  });

  it('parses every phrasing to its command and arguments', () => {
    const failures = CORPUS.flatMap((p) => {
      const why = failure(p);
      return why ? [`line ${p.line}: ${JSON.stringify(p.text)} ${why}`] : [];
    });
    expect(
      failures,
      `${failures.length} of ${CORPUS.length} phrasings failed:\n${failures.join('\n')}`,
    ).toEqual([]);
  });
});
