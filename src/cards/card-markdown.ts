/**
 * Adaptive Cards render a TextBlock's text (and a fact's title and value) as Markdown: links, bold,
 * italics, lists. The bot's own words use none of it, and the text it shows comes partly from people
 * (typed commands echoed back, approval reasons, names) and from Azure (error messages), so every
 * such text is escaped here, once, for the whole card: `[Verify your account](https://evil.example)`
 * typed into a command is shown as those characters, never as a link. Backslash escapes are
 * CommonMark's, which Teams honours; the web chat's page undoes them and shows the text as text.
 */

/** Characters that start Markdown (or HTML, or an entity) anywhere in a line. */
const INLINE = /[\\`*~[\]<>&]/g;
/** `_` emphasises only at a word's edge: `unknown_command` stays as it is, `_x_` is escaped. */
const UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** Line starts that open a list, a heading underline or a quote. */
const BULLET = /^(\s*)([-+=#])/gm;
const NUMBERED = /^(\s*\d+)([.)])/gm;

export function escapeCardMarkdown(text: string): string {
  return text
    .replace(INLINE, '\\$&')
    .replace(UNDERSCORE, '\\_')
    .replace(BULLET, '$1\\$2')
    .replace(NUMBERED, '$1\\$2');
}

/** Element types whose `text` is Markdown, and the FactSet's facts (title and value). */
const MARKDOWN_TEXT = new Set(['TextBlock', 'TextRun']);

/** The card with every Markdown-rendered text escaped (a new object; the input is left as it is). */
export function plainTextCard<T>(card: T): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(o)) {
      // A button's data is sent back, not shown: it stays exactly as the bot wrote it.
      if (key === 'data') out[key] = value;
      else if (key === 'text' && typeof value === 'string' && MARKDOWN_TEXT.has(String(o.type)))
        out[key] = escapeCardMarkdown(value);
      else if (key === 'facts' && Array.isArray(value)) out[key] = value.map(escapeFact);
      else out[key] = walk(value);
    }
    return out;
  };
  return walk(card) as T;
}

function escapeFact(fact: unknown): unknown {
  if (!fact || typeof fact !== 'object') return fact;
  const f = fact as { title?: unknown; value?: unknown };
  return {
    ...f,
    ...(typeof f.title === 'string' ? { title: escapeCardMarkdown(f.title) } : {}),
    ...(typeof f.value === 'string' ? { value: escapeCardMarkdown(f.value) } : {}),
  };
}
