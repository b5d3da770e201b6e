import { SANDBOX_SUBSCRIPTION_ID } from '../../src/sandbox/seed-ids.js';
import type { FleetVm } from '../../src/sandbox/fleet.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import type { SandboxProcess } from './sandbox-process.js';
import { armGet } from './sandbox-process.js';

/**
 * Checks for load tests with many backups (a fleet): what each Slack card went through, and how
 * many jobs of each kind the sandbox ran per VM, read as a client would.
 */

/** What a job card shows, in a word: the phase under way or how it ended. */
export function cardStage(blocks: string): 'snapshot' | 'transfer' | 'completed' | 'other' {
  if (/✅ Completed/.test(blocks)) return 'completed';
  if (/Take Snapshot[^"]*took/.test(blocks)) return 'transfer';
  if (/Take Snapshot/.test(blocks)) return 'snapshot';
  return 'other';
}

/** Each job card's updates in the order Slack received them, as stages, by the VM it shows. */
export function slackCardStages(slack: FakeSlackApi): Map<string, string[]> {
  const byTs = new Map<string, string[]>();
  for (const c of slack.calls) {
    // A card is first shown by a post (a slash command's answer; a "Working on it…" placeholder is
    // not a card) or by an update of its placeholder, then updated.
    const blocks = JSON.stringify(c.args.blocks ?? []);
    const posted = c.method === 'chat.postMessage' && !/Working on it/.test(blocks) ? c.ts : undefined;
    const ts = c.method === 'chat.update' ? String(c.args.ts) : posted;
    if (!ts) continue;
    byTs.set(ts, [...(byTs.get(ts) ?? []), blocks]);
  }
  const byVm = new Map<string, string[]>();
  for (const updates of byTs.values()) {
    const vm = /Backup job · ([\w-]+)/.exec(updates[0] ?? '')?.[1];
    if (vm) byVm.set(vm, updates.map(cardStage));
  }
  return byVm;
}

interface JobsPage {
  value: { properties: { entityFriendlyName: string; operation: string } }[];
  nextLink?: string;
}

/** Approval requests' ids, from their cards' buttons in Slack, by target. */
export function approvalIdsByTarget(slack: FakeSlackApi, targets: string[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const c of slack.calls) {
    if (c.method !== 'chat.update' && c.method !== 'chat.postMessage') continue;
    const blocks = JSON.stringify(c.args.blocks ?? []);
    const id = /approvalId\\":\\"([0-9a-f]{8})/.exec(blocks)?.[1];
    const target = targets.find((t) => blocks.includes(`*Target*\\n${t}`));
    if (id && target) ids.set(target, id);
  }
  return ids;
}

/** Jobs per `<vm>|<operation>` in the fleet's vaults (the jobs list of each, every page). */
export async function jobsPerVm(sandbox: SandboxProcess, fleet: FleetVm[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const vault of new Set(fleet.map((f) => `${f.resourceGroup}/${f.vault}`))) {
    const [rg, name] = vault.split('/');
    let next: string | undefined =
      `${sandbox.url}/subscriptions/${SANDBOX_SUBSCRIPTION_ID}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}/backupJobs?api-version=2023-06-01`;
    while (next) {
      const page: JobsPage = await armGet<JobsPage>(next);
      for (const { properties: p } of page.value) {
        const key = `${p.entityFriendlyName}|${p.operation}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      next = page.nextLink;
    }
  }
  return counts;
}

/** Runs `fn` over `items`, `size` at a time, as a burst of chat users would. */
export async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
