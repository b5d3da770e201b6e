import type { Command } from './command.js';
import type { Clarification } from './command-outcome.js';
import { parseDeclared } from './parse-declared.js';
import { sayWith } from './usage.js';
import type { VaultChoice } from './phrases/vault-phrase.js';
import { targetWords } from './vault-target.js';
import { VM_NOUNS } from './phrases/vocabulary.js';

const NAME = /^[A-Za-z][\w.-]{0,63}(?:\/[A-Za-z][\w.-]{0,63})?$/;
/** Words that are not a VM's name when alone: filler and command nouns a parser refused. */
const NOT_A_NAME =
  /^(?:yes|no|ok|thanks|hello|hi|hey|status|now|backup|backups|restore|stop|delete|jobs?|vms?|policy|policies|vault|vaults|approve|reject|cancel)$/i;
/** "status of myVM", "is myVM protected", "how is myVM", "show myVM", "what about myVM". */
const ABOUT_A_VM = new RegExp(
  String.raw`^(?:(?:what\s+is\s+)?(?:the\s+)?status\s+of|how\s+is|show|check|info\s+on|details\s+of)\s+(?:(?:the\s+)?${VM_NOUNS}\s+)?(\S+)$|^(?:is|was)\s+(?:(?:the\s+)?${VM_NOUNS}\s+)?(\S+)\s+(?:protected|backed\s+up|ok|okay|fine|safe)$`,
  'i',
);
const MAX_CHOICES = 5;

/**
 * Text that could mean more than one thing gets a question, not a guess: "myVM" alone, "status of
 * myVM", "stop myVM", "delete rg-x". The choices come from the commands' declarations: those whose
 * one required argument is a VM, or whose keyword completes what was half-said. Destructive
 * commands are never offered as buttons: the question shows how to type them (Clarification).
 */
export function findAmbiguity(
  text: string,
  commands: readonly Command[],
  now: Date,
): Clarification | undefined {
  const about = ABOUT_A_VM.exec(text);
  const vm = about ? (about[1] ?? about[2])! : text;
  if (NAME.test(vm) && !NOT_A_NAME.test(vm)) return aboutVm(vm, commands);
  return completion(text, commands, now);
}

/** A VM named alone: what can be done with one VM, reads first. */
function aboutVm(vm: string, commands: readonly Command[]): Clarification | undefined {
  const offered = commands
    .filter((c) => c.effect !== 'destructive')
    .filter((c) => {
      const required = c.args.filter((a) => a.required);
      // A command that also takes a recovery point is reached through the restore card, which shows them.
      return required.length === 1 && required[0]!.kind === 'vm' && !c.args.some((a) => a.kind === 'point');
    })
    .sort((a, b) => Number(a.effect !== 'read') - Number(b.effect !== 'read'))
    .slice(0, MAX_CHOICES);
  if (offered.length === 0) return undefined;
  return {
    question: `What should I do with ${vm}?`,
    choices: offered.map((c) => ({ title: c.title, text: sayWith(c, { vm }) })),
    typed: [],
  };
}

/**
 * "stop myVM" → "stop backup for myVM"? Each command keyword that starts with the first word is
 * tried in its place; what then parses is a reading. One reading or several, it is asked, not run.
 */
function completion(text: string, commands: readonly Command[], now: Date): Clarification | undefined {
  const m = /^(\S+)\s+(.+)$/.exec(text);
  if (!m) return undefined;
  const [, first, rest] = m as unknown as [string, string, string];
  if (!NAME.test(rest.split(' ')[0]!)) return undefined;
  const readings = new Map<string, { command: Command; text: string }>();
  for (const c of commands) {
    // The declared usage first ("stop backup for <vm>"), then each keyword with the rest after it.
    const placeholders = c.usage.match(/<[\w-]+>/g) ?? [];
    const usage =
      placeholders.length === 1 && c.usage.split(' ')[0]!.toLowerCase() === first.toLowerCase()
        ? [c.usage.replace(placeholders[0]!, rest)]
        : [];
    const keywords = c.keywords
      .filter((k) => k.includes(' ') && k.split(' ')[0]!.toLowerCase() === first.toLowerCase())
      .flatMap((k) => [`${k} ${rest}`, `${k} for ${rest}`, `${k} of ${rest}`]);
    for (const candidate of [...usage, ...keywords]) {
      const args = argsOf(c, candidate, now);
      if (args === undefined) continue;
      readings.set(c.id, { command: c, text: canonical(c, args) ?? candidate });
      break;
    }
  }
  if (readings.size === 0) return undefined;
  const all = [...readings.values()];
  return {
    question: `"${text.slice(0, 80)}" is not a whole command. Which did you mean?`,
    choices: all
      .filter((r) => r.command.effect !== 'destructive')
      .map((r) => ({ title: r.command.title, text: r.text })),
    typed: all.filter((r) => r.command.effect === 'destructive').map((r) => r.text),
  };
}

function argsOf(c: Command, text: string, now: Date): unknown {
  try {
    return parseDeclared(c, text, now);
  } catch {
    return undefined; // a reading whose arguments are wrong is no reading
  }
}

/** The reading in the command's declared words ("disable backup myVM" → "stop backup for myVM"). */
function canonical(c: Command, args: unknown): string | undefined {
  if (typeof args !== 'object' || args === null) return undefined;
  const values = Object.fromEntries(
    Object.entries(args).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const said = sayWith(c, values);
  if (/<[\w-]+>/.test(said)) return undefined;
  // The vault and subscription the text named stay in the reading (they are not in the usage).
  const { vault, subscription } = args as { vault?: unknown; subscription?: unknown };
  const choice = isVaultChoice(vault) ? vault : undefined;
  return `${said}${targetWords({ ...choice, ...(typeof subscription === 'string' ? { subscription } : {}) })}`;
}

function isVaultChoice(v: unknown): v is VaultChoice {
  return typeof v === 'object' && v !== null && typeof (v as { vault?: unknown }).vault === 'string';
}

/**
 * A vault or resource group that more than one configured subscription has (the fleet's
 * `validation.*_ambiguous`, with the candidates in `details.subscriptions`): the same text once per
 * subscription, "… in subscription X", by display name where no two share it, else by id.
 * Destructive commands get the texts to type, never buttons.
 */
export function subscriptionQuestion(
  text: string,
  error: { message: string; details?: Record<string, unknown> },
  destructive: boolean,
): Clarification | undefined {
  const listed = error.details?.['subscriptions'];
  if (!Array.isArray(listed) || listed.length < 2 || !text.trim()) return undefined;
  const subscriptions = listed.filter(
    (s): s is { id: string; displayName?: string } =>
      typeof s === 'object' && s !== null && typeof (s as { id?: unknown }).id === 'string',
  );
  const names = subscriptions.map((s) => s.displayName ?? s.id);
  const unique = new Set(names.map((n) => n.toLowerCase())).size === names.length;
  const texts = subscriptions.map(
    (s, i) => `${text.trim()} in subscription ${unique && s.displayName ? `"${names[i]!}"` : s.id}`,
  );
  return {
    question: `${error.message} Which subscription?`,
    choices: destructive ? [] : texts.map((t) => ({ title: t, text: t })),
    typed: destructive ? texts : [],
  };
}
