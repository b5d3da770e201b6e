/** "08:00", "8:00", "8am", "10:30 pm", "22:30" → "HH:MM" (24-hour), or undefined. */
export const TIME_OF_DAY = String.raw`\d{1,2}(?::\d{2})?\s*(?:am|pm)?`;

export function parseTimeOfDay(text: string): string | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  const ampm = m[3]?.toLowerCase();
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (ampm === 'pm' ? 12 : 0);
  } else if (!m[2]) {
    return undefined; // a bare number is not a time
  }
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}
