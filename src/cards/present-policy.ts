import type { Policy } from '../domain/index.js';
import type { PolicyListView, PolicyView } from './views.js';

/** "every 4 h from 08:00 for 12 h", "daily at 22:30", "weekly on Mon, Thu at 01:00", with the time zone. */
export function scheduleWords(p: Pick<Policy, 'schedule' | 'timeZone'>): string {
  const s = p.schedule;
  const tz = ` (${p.timeZone})`;
  if (s.frequency === 'Hourly')
    return `every ${s.intervalHours} h from ${s.windowStartTime} for ${s.windowDurationHours} h${tz}`;
  if (s.frequency === 'Daily') return `daily at ${s.time}${tz}`;
  return `weekly on ${s.days.map((d) => d.slice(0, 3)).join(', ')} at ${s.time}${tz}`;
}

export function retentionLines(p: Policy): string[] {
  const r = p.retention;
  return [
    `Instant restore snapshots: ${p.instantRestoreDays} day${p.instantRestoreDays === 1 ? '' : 's'}`,
    ...(r.dailyDays !== undefined ? [`Daily points: ${r.dailyDays} days`] : []),
    ...(r.weeklyWeeks !== undefined
      ? [
          `Weekly points (${(r.weeklyDays ?? ['Sunday']).map((d) => d.slice(0, 3)).join(', ')}): ${r.weeklyWeeks} weeks`,
        ]
      : []),
    ...(r.monthlyMonths !== undefined ? [`Monthly points: ${r.monthlyMonths} months`] : []),
    ...(r.yearlyYears !== undefined ? [`Yearly points: ${r.yearlyYears} years`] : []),
  ];
}

function policyData(p: Policy) {
  return {
    name: p.name,
    badge: p.kind === 'Enhanced' ? '⭐ Enhanced' : 'Standard',
    schedule: scheduleWords(p),
    retention: retentionLines(p).join(' · '),
    extra: [
      p.kind === 'Enhanced'
        ? `Restore point collections in resource group ${p.restorePointResourceGroupPrefix ?? 'AzureBackupRG_'}…; accepted for Extended Zone VMs.`
        : 'Not accepted for Extended Zone VMs.',
      `${p.protectedItemsCount} protected item${p.protectedItemsCount === 1 ? '' : 's'}.`,
    ].join(' '),
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
  return {
    title: `Backup policies · ${v.vaultName}`,
    summary:
      v.policies.length === 0
        ? 'No VM backup policies yet: "create policy …".'
        : `${v.policies.length} VM backup policies.`,
    policies: v.policies.slice(0, 20).map(policyData),
  };
}
