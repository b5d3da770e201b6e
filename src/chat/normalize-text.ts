/**
 * Turns what a user typed into the words a command parser reads: mentions removed (Teams `<at>…</at>`,
 * Slack `<@U123>`, `@bot`), filler dropped ("please", "can you"…), punctuation at the ends trimmed and
 * white space folded. Case is kept: names are case-preserving; parsers match case-insensitively.
 */
const MAX_LENGTH = 500;

const FILLER = [
  /^(hey|hi|hello|ok|okay|yo)\b[,!]?\s*/i,
  /^(bot|backup-?bot)\b[,:]?\s*/i,
  /^(please|pls|plz|kindly)\s+/i,
  /^(can|could|would|will)\s+(you|u)\s+(please\s+)?/i,
  /^(i\s+(want|would\s+like|need)\s+to|i'd\s+like\s+to|let's|lets)\s+/i,
  /^(go\s+ahead\s+and|just)\s+/i,
];
const TRAILING = [
  /[\s?!.,;]+$/,
  /\s*\b(please|pls|plz|thanks|thank\s+you|thx|asap)\s*$/i,
  /\s*\bfor\s+me\s*$/i,
];

export function normalizeText(raw: string): string {
  let s = raw.slice(0, MAX_LENGTH * 4);
  s = s.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ');
  s = s.replace(/^\s*@[\w.-]+[:,]?\s+/, ' ');
  // Emoji and other symbols carry no command words.
  s = s.replace(/[\p{Extended_Pictographic}\uFE0F\u200D]/gu, ' ');
  s = s.replace(/[\u201C\u201D]/g, '"').replace(/[\u2018\u2019]/g, "'");
  s = s.replace(/\s+/g, ' ').trim();
  for (let changed = true; changed;) {
    changed = false;
    for (const f of [...FILLER, ...TRAILING]) {
      const next = s.replace(f, '').trim();
      if (next !== s) {
        s = next;
        changed = true;
      }
    }
  }
  s = s.replace(/^[\s"'`/!]+/, '').replace(/[\s?!.,;"'`]+$/, '');
  return s.slice(0, MAX_LENGTH);
}
