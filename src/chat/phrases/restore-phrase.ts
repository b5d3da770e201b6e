import type { PointChoice, RestoreInput, RestoreKind } from '../../domain/index.js';
import { AppError } from '../../domain/index.js';
import { TIME_OF_DAY, parseTimeOfDay } from './time-of-day.js';

const EXAMPLE = 'restore myVM from latest as new vm myVM-restored';
const DAY_MS = 86_400_000;

/** `restore myVM` (the options card), or a restore to run. */
export type RestorePhrase = { options: true; vm: string } | (RestoreInput & { options?: undefined });

const POINT = String.raw`(latest|newest|last|\d{6,}|(?:today|yesterday)(?:\s+(?:at\s+)?${TIME_OF_DAY})?|\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?Z?)?)`;

/**
 * Reads "restore myVM", "restore myVM from <point> as new vm <name> [in <rg>] [subnet <rg>/<vnet>/<subnet>]",
 * "restore myVM from <point> restore disks [to <rg>]", "restore myVM from <point> replace disks",
 * and "restore disks of myVM …" / "replace disks of myVM …". The point is an id, latest, or a time
 * (UTC, as the cards show them): the newest point taken at or before it. Without one: the latest.
 */
export function parseRestore(text: string, now: Date): RestorePhrase | undefined {
  const head =
    /^(?:(restore)\s+(?:the\s+)?disks?|(replace)\s+(?:the\s+)?disks?)\s+(?:of|for|on)\s+(?:vm\s+)?(\S+)\s*(.*)$/i.exec(
      text,
    ) ?? /^restore\s+(?:options\s+(?:for|of)\s+)?(?:vm\s+)?()()(\S+)\s*(.*)$/i.exec(text);
  if (!head) return undefined;
  const vm = head[3]!;
  // "restore points for myVM" is the recovery points list, "restore jobs" the jobs list.
  if (/^(?:points?|options?|jobs?|runs?)$/i.test(vm)) return undefined;
  let rest = head[4]!;
  let kind: RestoreKind | undefined = head[1] ? 'RestoreDisks' : head[2] ? 'OriginalLocation' : undefined;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`.trim();
    return m;
  };
  const from = take(
    new RegExp(String.raw`\b(?:from|at|to\s+point)\s+(?:point\s+|the\s+)?${POINT}(?=\s|$)`, 'i'),
  );
  const newVm = take(/\bas\s+(?:a\s+)?new\s+vm\s+(?:called\s+|named\s+)?(\S+)/i);
  if (newVm) kind = 'AlternateLocation';
  if (take(/\b(?:and\s+)?replace\s+(?:the\s+|its\s+)?disks?\b/i)) kind = 'OriginalLocation';
  if (take(/\b(?:as\s+|and\s+)?(?:restore\s+)?(?:the\s+)?disks?(?:\s+only)?\b/i)) kind ??= 'RestoreDisks';
  const subnet = take(/\b(?:on\s+|in\s+)?subnet\s+(\S+)/i);
  const group = take(/\b(?:in|to|into)\s+(?:resource\s+group\s+|rg\s+)?(\S+)/i);
  if (rest) {
    throw new AppError('validation.arguments', `I could not read "${rest.slice(0, 80)}" in that restore.`, {
      hint: `${EXAMPLE}, or "restore ${vm}" for the points and options.`,
    });
  }
  if (!kind) {
    if (from || group || subnet) {
      throw new AppError('validation.arguments', `How should I restore ${vm}?`, {
        hint: `Say "as new vm <name>", "restore disks" or "replace disks": ${EXAMPLE}`,
      });
    }
    return { options: true, vm };
  }
  if (kind === 'OriginalLocation' && (group || subnet)) {
    throw new AppError(
      'validation.arguments',
      `Replacing disks restores ${vm} in place: it takes no resource group or subnet.`,
      {
        hint: `restore ${vm} from latest replace disks`,
      },
    );
  }
  if (kind === 'RestoreDisks' && subnet) {
    throw new AppError('validation.arguments', 'Restored disks go on no subnet.', {
      hint: `restore ${vm} from latest restore disks to rg-x`,
    });
  }
  return {
    vm,
    kind,
    point: pointChoice(from?.[1] ?? 'latest', now),
    ...(newVm ? { targetVmName: newVm[1]! } : {}),
    ...(group ? { targetResourceGroup: group[1]! } : {}),
    ...(subnet ? { subnet: subnet[1]! } : {}),
  };
}

/** "latest", an id, "yesterday 14:00", "today", "2026-11-30 14:00" (UTC) → which point. */
function pointChoice(text: string, now: Date): PointChoice {
  if (/^(?:latest|newest|last)$/i.test(text)) return { latest: true };
  if (/^\d+$/.test(text)) return { id: text };
  const day = /^(today|yesterday)\b\s*(?:at\s+)?(.*)$/i.exec(text);
  const date = day
    ? new Date(now.getTime() - (day[1]!.toLowerCase() === 'yesterday' ? DAY_MS : 0))
        .toISOString()
        .slice(0, 10)
    : text.slice(0, 10);
  const clock = (day ? day[2]! : text.slice(11)).replace(/Z$/i, '').trim();
  // A day without a time means the whole day: its newest point.
  const seconds = /^(\d{1,2}:\d{2}):(\d{2})$/.exec(clock);
  const hhmm = clock ? parseTimeOfDay(seconds ? seconds[1]! : clock) : '23:59';
  const at = new Date(`${date}T${hhmm ?? ''}:${seconds ? seconds[2] : clock ? '00' : '59'}Z`);
  if (!hhmm || Number.isNaN(at.getTime())) {
    throw new AppError('validation.arguments', `"${text}" is not a time I can read.`, {
      hint: 'Use a point id, "latest", "yesterday 14:00" or "2026-11-30 14:00" (UTC).',
    });
  }
  return { atOrBefore: at.toISOString() };
}
