import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { SANDBOX_VAULT_NAME } from '../src/sandbox/seed-ids.js';

describe('loadConfig', () => {
  it('uses the sandbox and its seeded vault when no Azure settings are given', () => {
    const c = loadConfig({});
    expect(c.azure.mode).toBe('sandbox');
    expect(c.azure.vaultName).toBe(SANDBOX_VAULT_NAME);
    expect(c.sandbox.clockSpeed).toBe(60);
  });

  it('switches to Azure when a subscription is given, and requires the default vault', () => {
    try {
      loadConfig({ AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toHaveLength(2);
    }
    const c = loadConfig({
      AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
      AZURE_VAULT_NAME: 'v1',
      AZURE_RESOURCE_GROUP: 'rg1',
    });
    expect(c.azure).toMatchObject({
      mode: 'azure',
      vaultName: 'v1',
      armEndpoint: 'https://management.azure.com',
    });
  });

  it('lists every malformed variable at once', () => {
    try {
      loadConfig({
        BACKUP_MODE: 'cloud',
        AZURE_MAX_RETRIES: 'many',
        SANDBOX_THROTTLE_RATE: '2',
        AZURE_ARM_ENDPOINT: 'http://x',
      });
      expect.unreachable();
    } catch (e) {
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/BACKUP_MODE/);
      expect(problems).toMatch(/AZURE_MAX_RETRIES/);
      expect(problems).toMatch(/SANDBOX_THROTTLE_RATE/);
      expect(problems).toMatch(/https/);
    }
  });
});
