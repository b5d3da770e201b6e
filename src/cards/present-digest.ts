import type { DigestReport, VaultHealth } from '../domain/index.js';
import { agentFindingWords } from './protection-words.js';
import type { MessageView } from './views.js';

/** Lines a vault may take in the card before the rest is summed up (phones, and Slack's limits). */
const MAX_LINES_PER_VAULT = 8;

/**
 * The daily digest and `backup health` as one message card: per vault a headline, then one short
 * line per thing to act on (a failure, an unprotected VM, soft-deleted data, an old agent, a stale
 * backup), so it reads on a phone. A healthy vault takes one line.
 */
export function presentDigest(report: DigestReport, title = 'Backup health'): MessageView {
  const now = Date.parse(report.asOf);
  const facts: { title: string; value: string }[] = [];
  let attention = 0;
  for (const v of report.vaults) {
    const lines = vaultLines(v, now);
    attention += lines.length;
    facts.push({ title: `🗄️ ${vaultLabel(v, report.vaults)}`, value: headline(v, now) });
    for (const l of lines.slice(0, MAX_LINES_PER_VAULT)) facts.push(l);
    if (lines.length > MAX_LINES_PER_VAULT)
      facts.push({
        title: '…',
        value: `${lines.length - MAX_LINES_PER_VAULT} more: type "status of jobs" or "list vms"`,
      });
  }
  return {
    kind: 'message',
    tone: attention === 0 ? 'success' : 'warning',
    title: `${title} · ${report.asOf.slice(0, 16).replace('T', ' ')} UTC`,
    text:
      report.vaults.length === 0
        ? 'No vault to report on.'
        : attention === 0
          ? `All good in ${plural(report.vaults.length, 'vault')}.`
          : `${plural(attention, 'thing')} to look at in ${plural(report.vaults.length, 'vault')}.`,
    facts,
  };
}

/** The vault's name, with its group and subscription when another vault of the report has the name too. */
function vaultLabel(v: VaultHealth, all: readonly VaultHealth[]): string {
  const named = all.filter((o) => o.vault.toLowerCase() === v.vault.toLowerCase());
  if (named.length < 2) return v.vault;
  return `${v.resourceGroup}/${v.vault}${v.subscription ? ` in subscription ${v.subscription}` : ''}`;
}

function headline(v: VaultHealth, now: number): string {
  const last = newest(v);
  const parts = [`${plural(v.protectedVms.length, 'protected VM')}`];
  if (last) parts.push(`last backup ${ago(now, last)}`);
  parts.push(
    v.failures24h.length === 0 ? 'no failures in 24 h' : `${plural(v.failures24h.length, 'failure')} in 24 h`,
  );
  return parts.join(' · ');
}

function vaultLines(v: VaultHealth, now: number): { title: string; value: string }[] {
  const lines: { title: string; value: string }[] = [];
  for (const f of v.failures24h)
    lines.push({
      title: `${f.status === 'Failed' ? '❌' : '⚠️'} ${f.vm}`,
      value: `${f.status === 'Failed' ? 'failed' : 'completed with warnings'}${f.error ? ` (${f.error})` : ''} · job ${f.jobId}`,
    });
  for (const p of v.protectedVms) {
    const t = p.lastTime ? Date.parse(p.lastTime) : NaN;
    if (!p.lastTime || Number.isNaN(t)) lines.push({ title: `🕓 ${p.name}`, value: 'no backup yet' });
    else if (now - t > 36 * 3_600_000)
      lines.push({ title: `🕓 ${p.name}`, value: `last backup ${ago(now, p.lastTime)}` });
    else if (p.lastStatus && !/^(Completed|Healthy|Succeeded)$/i.test(p.lastStatus))
      lines.push({
        title: `⚠️ ${p.name}`,
        value: `last backup ${p.lastStatus.toLowerCase()} ${ago(now, p.lastTime)}`,
      });
  }
  if (v.unprotected.length > 0) lines.push({ title: '🛡️ Not protected', value: v.unprotected.join(', ') });
  for (const s of v.softDeleted)
    lines.push({
      title: `🗑️ ${s.vm}`,
      value: s.purgeAt ? `soft-deleted, purged ${s.purgeAt.slice(0, 10)}` : 'soft-deleted',
    });
  for (const a of v.oldAgents) lines.push({ title: `🧩 ${a.vm}`, value: agentFindingWords(a) });
  for (const p of v.problems) lines.push({ title: '❔', value: p });
  return lines;
}

function newest(v: VaultHealth): string | undefined {
  return v.protectedVms
    .map((p) => p.lastTime)
    .filter((t): t is string => Boolean(t) && !Number.isNaN(Date.parse(t!)))
    .sort()
    .at(-1);
}

function ago(now: number, iso: string): string {
  const h = Math.max(0, Math.round((now - Date.parse(iso)) / 3_600_000));
  if (h < 1) return 'under an hour ago';
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
