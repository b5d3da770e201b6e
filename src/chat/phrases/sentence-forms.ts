/**
 * Everyday sentence shapes → the imperative forms commands declare: commas between a command and
 * its options dropped ("backup myVM now, keep until …"), contractions spelt out ("what's"), and
 * "show me the …" / "can I see the …" turned into "show the …". Runs after normalizeText; names
 * are left as typed.
 */
const REWRITES: [RegExp, string][] = [
  // A comma separates words, never a name from a name: VM, vault and policy names have none.
  [/\s*,\s*/g, ' '],
  [/\b(what|who|that|there|how)'?s\b/gi, '$1 is'],
  [/\b(what|which)\s+are\b/gi, '$1'],
  [/^(?:show|give|get|tell|send)\s+me\s+/i, 'show '],
  [/^(?:can|could|may)\s+i\s+(?:please\s+)?(?:see|have|get)\s+/i, 'show '],
  [/^(?:i\s+(?:want|need|would\s+like|'d\s+like)\s+to\s+see|let\s+me\s+see|lemme\s+see)\s+/i, 'show '],
  [/^(?:what\s+about|how\s+about)\s+/i, 'show '],
];

export function toCommandForm(text: string): string {
  let s = text;
  for (const [pattern, replacement] of REWRITES) s = s.replace(pattern, replacement);
  return s.replace(/\s+/g, ' ').trim();
}
