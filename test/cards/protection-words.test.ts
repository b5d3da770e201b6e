import { describe, expect, it } from 'vitest';
import {
  agentFixWords,
  agentProblemWords,
  agentWarningWords,
  consistencyWords,
  eligibilityWords,
} from '../../src/cards/protection-words.js';
import { expectedConsistency } from '../../src/domain/index.js';
import { EZ_WINDOWS, OLD_AGENT, OTHER_REGION, STOPPED_LINUX } from './fixtures.js';

/** The domain gives facts (rules 4, 5, 9); these are the words the cards say them in. */
describe('protection facts in words', () => {
  it('says why a VM of another region or subscription is not eligible', () => {
    expect(eligibilityWords(OTHER_REGION.eligibility)).toBe(
      'In region eastus; vault rsv-westus is in westus and protects VMs of that region (and its Extended Zones) only.',
    );
    expect(
      eligibilityWords({
        eligible: false,
        reason: {
          code: 'other-subscription',
          vmSubscriptionId: 'sub-2',
          vaultName: 'rsv-westus',
          vaultSubscriptionId: 'sub-1',
        },
      }),
    ).toBe('In subscription sub-2; vault rsv-westus protects VMs of subscription sub-1 only.');
    expect(eligibilityWords(EZ_WINDOWS.eligibility)).toBeUndefined();
  });

  it('names the agent problem and its fix per OS', () => {
    expect(OLD_AGENT.agent.issue).toBe('outdated');
    expect(agentProblemWords(OLD_AGENT)).toBe(
      'legacy-win-01 runs Windows VM agent 2.6.1198.600; Azure Backup needs 2.6.1198.718 or later.',
    );
    expect(agentProblemWords(STOPPED_LINUX)).toBe(
      'web-linux-01 is not running, so its VM agent cannot be checked.',
    );
    expect(
      agentProblemWords({ ...STOPPED_LINUX, agent: { ok: false, checked: true, issue: 'missing' } }),
    ).toBe('web-linux-01 has no VM agent reporting.');
    expect(agentWarningWords(STOPPED_LINUX)).toContain("from the distribution's packages");
    expect(agentFixWords('Windows')).toContain('2.6.1198.718 or later');
    expect(agentProblemWords(EZ_WINDOWS)).toBeUndefined();
  });

  it('says which consistency to expect and why', () => {
    expect(consistencyWords(expectedConsistency(EZ_WINDOWS))).toBe(
      'The VM is running, so the snapshot will most likely be application-consistent.',
    );
    expect(consistencyWords(expectedConsistency(STOPPED_LINUX))).toBe(
      'The VM is deallocated, so the snapshot will be crash-consistent (like a power cut).',
    );
  });
});
