import { describe, expect, it } from 'vitest';
import {
  AppError,
  assertPolicyFitsVm,
  assertVaultLocation,
  checkVmAgent,
  compareVersions,
  expectedConsistency,
  parentRegionOf,
  vmEligibility,
} from '../../src/domain/index.js';
import type { VaultRef, VmFacts } from '../../src/domain/index.js';
import { agentFixWords, agentWords, eligibilityWords } from '../../src/cards/protection-words.js';

const vault: VaultRef = {
  name: 'rsv-westus',
  resourceGroup: 'rg',
  subscriptionId: 'sub-1',
  location: 'westus',
};
const ezVm: VmFacts = {
  id: '/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/myVM',
  name: 'myVM',
  subscriptionId: 'sub-1',
  resourceGroup: 'rg',
  location: 'westus',
  extendedZone: 'losangeles',
  osType: 'Windows',
  powerState: 'running',
  agentChecked: true,
  agentVersion: '2.7.41491.1102',
};

describe('Extended Zones and vault locations', () => {
  it('refuses a vault in an Extended Zone and suggests the parent region', () => {
    try {
      assertVaultLocation('losangeles');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('validation.vault_in_extended_zone');
      expect((e as AppError).message).toContain('westus');
      expect((e as AppError).suggestions).toEqual([
        { kind: 'template', text: 'create vault <name> in westus' },
      ]);
    }
  });

  it('accepts a region written as a display name', () => {
    expect(assertVaultLocation('West US')).toBe('westus');
  });

  it('knows the parent of each Extended Zone', () => {
    expect(parentRegionOf('Los Angeles')).toBe('westus');
    expect(parentRegionOf('perth')).toBe('australiaeast');
    expect(parentRegionOf('westus')).toBeUndefined();
  });

  it('refuses a location that is not a region name', () => {
    expect(() => assertVaultLocation("westus'; drop")).toThrow(/not an Azure region/);
  });
});

describe('which VMs a vault can protect', () => {
  it('accepts an Extended Zone VM for the vault of its parent region', () => {
    expect(vmEligibility(ezVm, vault)).toEqual({ eligible: true });
  });

  it('refuses a VM of another region, with the reason', () => {
    const r = vmEligibility({ ...ezVm, location: 'eastus', extendedZone: undefined }, vault);
    expect(r.eligible).toBe(false);
    expect(r.reason).toMatchObject({ code: 'other-region', vmLocation: 'eastus' });
    expect(eligibilityWords(r)).toMatch(/region eastus/);
  });

  it('refuses a VM of another subscription, with the reason', () => {
    const r = vmEligibility({ ...ezVm, subscriptionId: 'sub-2' }, vault);
    expect(r.eligible).toBe(false);
    expect(r.reason).toMatchObject({ code: 'other-subscription', vmSubscriptionId: 'sub-2' });
    expect(eligibilityWords(r)).toMatch(/subscription sub-2/);
  });

  it('refuses a Standard policy for an Extended Zone VM', () => {
    expect(() => assertPolicyFitsVm(ezVm, { name: 'DefaultPolicy', kind: 'Standard' })).toThrow(
      /accepts only Enhanced/,
    );
    expect(() => assertPolicyFitsVm(ezVm, { name: 'EnhancedPolicy', kind: 'Enhanced' })).not.toThrow();
    expect(() =>
      assertPolicyFitsVm({ ...ezVm, extendedZone: undefined }, { name: 'DefaultPolicy', kind: 'Standard' }),
    ).not.toThrow();
  });
});

describe('VM agent and consistency', () => {
  it('blocks a Windows agent older than 2.6.1198.718 and says how to fix it', () => {
    const r = checkVmAgent({ ...ezVm, agentVersion: '2.6.1198.600' });
    expect(r).toMatchObject({ ok: false, severity: 'blocking', issue: 'outdated' });
    expect(agentFixWords('Windows')).toMatch(/2\.6\.1198\.718 or later/);
  });

  it('accepts the minimum Windows agent itself', () => {
    expect(checkVmAgent({ ...ezVm, agentVersion: '2.6.1198.718' }).ok).toBe(true);
  });

  it('blocks a running VM with no agent, and only warns for a stopped one', () => {
    expect(checkVmAgent({ ...ezVm, agentVersion: undefined })).toMatchObject({
      ok: false,
      severity: 'blocking',
    });
    expect(checkVmAgent({ ...ezVm, agentVersion: undefined, powerState: 'deallocated' })).toMatchObject({
      ok: true,
      severity: 'warning',
    });
  });

  it('says nothing about an agent it did not check (a listed VM), and never "no agent"', () => {
    const listed = { ...ezVm, agentChecked: false, agentVersion: undefined };
    expect(checkVmAgent(listed)).toEqual({ ok: true, checked: false });
    expect(agentWords(listed)).toBe('agent not checked');
    expect(agentWords({ ...listed, agentChecked: true })).toBe('no agent reporting');
  });

  it("points Linux VMs at the distribution's agent package", () => {
    expect(checkVmAgent({ ...ezVm, osType: 'Linux', agentVersion: undefined }).issue).toBe('missing');
    expect(agentFixWords('Linux')).toMatch(/distribution's packages/);
  });

  it('compares dotted versions numerically', () => {
    expect(compareVersions('2.10.0.8', '2.9.9.9')).toBe(1);
    expect(compareVersions('2.6.1198', '2.6.1198.0')).toBe(0);
    expect(compareVersions('2.6.1198.600', '2.6.1198.718')).toBe(-1);
  });

  it('expects application consistency from a running VM and crash consistency from a stopped one', () => {
    expect(expectedConsistency(ezVm).kind).toBe('application-consistent');
    expect(expectedConsistency({ ...ezVm, powerState: 'deallocated' }).kind).toBe('crash-consistent');
  });
});
