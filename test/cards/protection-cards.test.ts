import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/adaptive-card-renderer.js';
import type { CardElement } from '../../src/cards/adaptive-card-renderer.js';
import { agentFixWords, agentProblemWords, eligibilityWords } from '../../src/cards/protection-words.js';
import { expectedConsistency } from '../../src/domain/index.js';
import { elementsOfType, executeActions, visibleText } from './card-actions.js';
import {
  ENHANCED_DAILY,
  ENHANCED_HOURLY,
  EZ_WINDOWS,
  OLD_AGENT,
  OTHER_REGION,
  POLICIES,
  STANDARD_WEEKLY,
  STOPPED_LINUX,
  VAULT,
  VMS,
  manyVms,
} from './fixtures.js';

const vmList = (vms = VMS) => renderAdaptiveCard({ kind: 'vm-list', vault: VAULT, vms });

/** The lines of the VM's block on a VM list card. */
function vmBlock(name: string): string {
  const blocks = elementsOfType(vmList(), 'Container').filter(
    (c) => (c.items as CardElement[])[0]?.text === name,
  );
  expect(blocks).toHaveLength(1);
  return visibleText(blocks[0]);
}

describe('VM list card', () => {
  it('shows where each VM runs, its state, OS and agent', () => {
    expect(vmBlock('myVM')).toContain(
      'westus · Extended Zone losangeles · Windows · running · agent 2.7.41491.1102',
    );
    expect(vmBlock('web-linux-01')).toContain('westus · Linux · deallocated · no agent reporting');
    expect(vmBlock('db-eastus-01')).toContain('eastus · Windows · running');
  });

  it('shows protection with the policy and last backup', () => {
    expect(vmBlock('myVM')).toContain(
      '🛡️ Protected by EnhancedPolicy (Enhanced) · last backup 2026-11-21 08:08 UTC (Completed)',
    );
    expect(vmBlock('web-linux-01')).toContain('🔓 Not protected');
  });

  it('says why a VM is not eligible and flags agent problems with the fix', () => {
    expect(vmBlock('db-eastus-01')).toContain(`Not eligible: ${eligibilityWords(OTHER_REGION.eligibility)!}`);
    expect(vmBlock('legacy-win-01')).toContain(
      `⛔ ${agentProblemWords(OLD_AGENT)!} ${agentFixWords(OLD_AGENT.osType)}`,
    );
    expect(vmBlock('legacy-win-01')).toContain('2.6.1198.718');
    expect(vmBlock('web-linux-01')).toContain(`⚠️ ${agentProblemWords(STOPPED_LINUX)!}`);
    expect(vmBlock('myVM')).not.toMatch(/Not eligible|⚠️|⛔/);
    const colours = elementsOfType(vmList(), 'TextBlock')
      .filter((b) => /^(⛔|⚠️)/.test(String(b.text)))
      .map((b) => b.color);
    expect(colours).toEqual(['Warning', 'Attention']);
  });

  it('offers "back up now" for protected VMs and "enable" for eligible unprotected ones, with the VM in data', () => {
    expect(executeActions(vmList())).toEqual([
      { verb: 'backup.now', title: 'Back up now', data: { vm: 'myVM' } },
      { verb: 'backup.enable', title: 'Enable backup', data: { vm: 'web-linux-01' } },
    ]);
  });

  it('puts the full VM name in button data even when the shown name is shortened', () => {
    const long = `${'a'.repeat(70)}-vm`;
    const card = vmList([{ ...EZ_WINDOWS, name: long }]);
    expect(visibleText(card)).not.toContain(long);
    expect(executeActions(card)).toEqual([{ verb: 'backup.now', title: 'Back up now', data: { vm: long } }]);
  });

  it('offers "enable" to resume a VM whose backup was stopped', () => {
    const stopped = {
      ...EZ_WINDOWS,
      protection: { state: 'ProtectionStopped' as const, policyName: 'EnhancedPolicy' },
    };
    expect(executeActions(vmList([stopped]))).toEqual([
      { verb: 'backup.enable', title: 'Enable backup', data: { vm: 'myVM' } },
    ]);
  });

  it('caps 200 VMs at 25 and says how many more there are', () => {
    const card = vmList(manyVms(200));
    const text = visibleText(card);
    expect(text).toContain('200 VMs, 50 protected. Showing 25 of 200 (and 175 more).');
    expect(text).toContain('vm-024');
    expect(text).not.toContain('vm-025');
  });
});

describe('enable-backup card', () => {
  const enable = (vm = STOPPED_LINUX, alreadyProtected = false) =>
    renderAdaptiveCard({
      kind: 'enable-backup',
      vaultName: VAULT.name,
      result: { vm, policy: STANDARD_WEEKLY, alreadyProtected, consistency: expectedConsistency(vm) },
    });

  it('says which consistency to expect, that the first backup follows the schedule, and warns about the agent', () => {
    const text = visibleText(enable());
    expect(text).toContain('Backup enabled for web-linux-01');
    expect(text).toContain('DefaultPolicy (Standard)');
    expect(text).toContain('weekly on Mon, Thu at 01:00 (UTC)');
    expect(text).toContain('The VM is deallocated, so the snapshot will be crash-consistent');
    expect(text).toContain("The first backup follows the policy's schedule");
    expect(text).toContain(agentProblemWords(STOPPED_LINUX)!);
    expect(visibleText(enable(EZ_WINDOWS))).toContain('most likely be application-consistent');
  });

  it('has a "back up now" button for the VM', () => {
    expect(executeActions(enable())).toEqual([
      { verb: 'backup.now', title: 'Back up now', data: { vm: 'web-linux-01' } },
    ]);
  });
});

describe('policy cards', () => {
  const policyCard = (policy = ENHANCED_HOURLY) =>
    visibleText(renderAdaptiveCard({ kind: 'policy', vaultName: VAULT.name, policy, created: true }));

  it('describes an Enhanced hourly policy: badge, schedule, retention, restore point resource group', () => {
    const text = policyCard();
    expect(text).toContain('Policy created · EnhancedPolicy');
    expect(text).toContain('⭐ Enhanced');
    expect(text).toContain('every 4 h from 08:00 for 12 h (UTC)');
    expect(text).toContain('• Instant restore snapshots: 7 days');
    expect(text).toContain('• Daily points: 30 days');
    expect(text).toContain('• Weekly points (Sun): 12 weeks');
    expect(text).toContain('rg-chatops-rpc-');
  });

  it('describes daily and weekly schedules with their time zone, and monthly and yearly retention', () => {
    const daily = policyCard(ENHANCED_DAILY);
    expect(daily).toContain('daily at 22:30 (Pacific Standard Time)');
    expect(daily).toContain('• Instant restore snapshots: 1 day');
    expect(daily).toContain('• Monthly points: 12 months');
    expect(daily).toContain('• Yearly points: 7 years');
    const weekly = policyCard(STANDARD_WEEKLY);
    expect(weekly).toContain('weekly on Mon, Thu at 01:00 (UTC)');
    expect(weekly).toContain('not accepted for Extended Zone VMs');
    expect(weekly).not.toContain('⭐');
  });

  it('lists every policy with its badge and schedule', () => {
    const text = visibleText(
      renderAdaptiveCard({ kind: 'policy-list', vaultName: VAULT.name, policies: POLICIES }),
    );
    expect(text).toContain('3 VM backup policies.');
    for (const p of POLICIES) expect(text).toContain(p.name);
    expect(text.match(/⭐ Enhanced/g)).toHaveLength(2);
    expect(text).toContain('Standard');
  });
});

describe('recovery points, stop backup, vaults and resource groups', () => {
  it('shows each recovery point’s time, consistency, tiers and Extended Zone', () => {
    const card = renderAdaptiveCard({
      kind: 'recovery-points',
      vmName: 'myVM',
      vaultName: VAULT.name,
      points: [
        {
          id: '1',
          time: '2026-11-22T10:08:00Z',
          consistency: 'AppConsistent',
          tiers: [
            { type: 'InstantRP', status: 'Valid' },
            { type: 'HardenedRP', status: 'Valid' },
          ],
          extendedZone: 'losangeles',
        },
      ],
    });
    expect(elementsOfType(card, 'FactSet')[0]!.facts).toEqual([
      {
        title: '2026-11-22 10:08 UTC',
        value: 'Application-consistent · Snapshot + Vault · Extended Zone losangeles',
      },
    ]);
  });

  it('says what stopping backup kept or deleted, soft delete included', () => {
    const deleted = visibleText(
      renderAdaptiveCard({
        kind: 'stop-backup',
        vaultName: VAULT.name,
        result: { vmName: 'myVM', deletedData: true, softDeletedUntil: '2026-12-16T09:30:00.000Z' },
      }),
    );
    expect(deleted).toMatch(/Soft delete keeps it until .*16.*enable backup for myVM/);
    const hardDeleted = visibleText(
      renderAdaptiveCard({
        kind: 'stop-backup',
        vaultName: VAULT.name,
        result: { vmName: 'myVM', deletedData: true },
      }),
    );
    expect(hardDeleted).not.toContain('Soft delete');
    const kept = visibleText(
      renderAdaptiveCard({
        kind: 'stop-backup',
        vaultName: VAULT.name,
        result: { vmName: 'myVM', deletedData: false },
      }),
    );
    expect(kept).toContain('The recovery points are kept');
  });

  it('shows a vault’s facts, marks the default vault, and caps a resource group’s resources', () => {
    expect(
      elementsOfType(renderAdaptiveCard({ kind: 'vault', vault: VAULT, created: true }), 'FactSet')[0]!.facts,
    ).toEqual([
      { title: 'Region', value: 'westus' },
      { title: 'Resource group', value: 'rg-chatops' },
      { title: 'Subscription', value: VAULT.subscriptionId },
      { title: 'State', value: 'Succeeded' },
    ]);
    expect(
      visibleText(renderAdaptiveCard({ kind: 'vault-list', vaults: [VAULT], defaultVault: VAULT.name })),
    ).toContain('rsv-westus (default)');
    const resources = Array.from({ length: 45 }, (_, i) => ({
      name: `disk-${i}`,
      type: 'Microsoft.Compute/disks',
    }));
    const rg = renderAdaptiveCard({
      kind: 'resource-group',
      group: { name: 'rg-big', location: 'westus', resources, vaults: [] },
    });
    expect(visibleText(rg)).toContain('westus · 45 resources. Showing 30 of 45 (and 15 more).');
  });
});
