import type { Policy, Weekday } from '../domain/index.js';
import { plural, shownOf } from './card-format.js';
import type { PolicyListView, PolicyView } from './views.js';

/** Policies on one list card; a vault rarely has more, and the card stays small. */
export const POLICY_LIST_ROWS = 20;

const short = (days: Weekday[]) => days.map((d) => d.slice(0, 3)).join(', ');

/** "every 4 h from 08:00 for 12 h", "daily at 22:30", "weekly on Mon, Thu at 01:00", with the time zone. */
export function scheduleWords(p: Pick<Policy, 'schedule' | 'timeZone'>): string {
  const s = p.schedule;
  const tz = ` (${p.timeZone})`;
  if (s.frequency === 'Hourly')
    return `every ${s.intervalHours} h from ${s.windowStartTime} for ${s.windowDurationHours} h${tz}`;
  if (s.frequency === 'Daily') return `daily at ${s.time}${tz}`;
  return `weekly on ${short(s.days)} at ${s.time}${tz}`;
}

/** One line per kept kind of recovery point, snapshots first (they restore fastest). */
export function retentionLines(p: Policy): string[] {
  const r = p.retention;
  return [
    `Instant restore snapshots: ${plural(p.instantRestoreDays, 'day')}`,
    ...(r.dailyDays !== undefined ? [`Daily points: ${plural(r.dailyDays, 'day')}`] : []),
    ...(r.weeklyWeeks !== undefined
      ? [`Weekly points (${short(r.weeklyDays ?? ['Sunday'])}): ${plural(r.weeklyWeeks, 'week')}`]
      : []),
    ...(r.monthlyMonths !== undefined ? [`Monthly points: ${plural(r.monthlyMonths, 'month')}`] : []),
    ...(r.yearlyYears !== undefined ? [`Yearly points: ${plural(r.yearlyYears, 'year')}`] : []),
  ];
}

/** Rules 2 and 3, in one line: what the kind of policy means for the VMs it protects. */
function kindNote(p: Policy): string {
  if (p.kind === 'Standard') return 'Standard policy: not accepted for Extended Zone VMs.';
  const rg = p.restorePointResourceGroupPrefix
    ? `resource groups named ${p.restorePointResourceGroupPrefix}…`
    : "Azure's default resource groups (AzureBackupRG_…)";
  return `Enhanced policy: accepted for Extended Zone VMs; restore point collections are kept in ${rg}, apart from the VMs' own.`;
}

function policyData(p: Policy) {
  return {
    name: p.name,
    badge: p.kind === 'Enhanced' ? '⭐ Enhanced' : 'Standard',
    badgeColor: p.kind === 'Enhanced' ? 'Accent' : 'Default',
    schedule: scheduleWords(p),
    retention: retentionLines(p),
    retentionText: retentionLines(p).join(' · '),
    kindNote: kindNote(p),
    items: `Protects ${plural(p.protectedItemsCount, 'item')}.`,
  };
}

export function presentPolicy(v: PolicyView) {
  return {
    title: `${v.created ? 'Policy created' : 'Policy'} · ${v.policy.name}`,
    vault: `Vault ${v.vaultName}`,
    policy: policyData(v.policy),
  };
}

export function presentPolicyList(v: PolicyListView) {
  const n = v.policies.length;
  return {
    title: `Backup policies · ${v.vaultName}`,
    summary:
      n === 0
        ? 'No VM backup policies yet: "create policy …".'
        : [`${plural(n, 'VM backup policy', 'VM backup policies')}.`, shownOf(n, POLICY_LIST_ROWS)]
            .filter(Boolean)
            .join(' '),
    policies: v.policies.slice(0, POLICY_LIST_ROWS).map(policyData),
  };
}
