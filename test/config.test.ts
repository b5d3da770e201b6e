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

  it('reads the restore targets as lists, one per subscription and region, and names each malformed entry', () => {
    const c = loadConfig({
      RESTORE_STAGING_STORAGE_ACCOUNT:
        'rg-a/sta, /subscriptions/s2/resourceGroups/rg-b/providers/Microsoft.Storage/storageAccounts/stb',
      RESTORE_SUBNET: 'rg-a/vnet-a/default',
    });
    expect(c.azure.restore).toEqual({
      stagingStorageAccounts: [
        'rg-a/sta',
        '/subscriptions/s2/resourceGroups/rg-b/providers/Microsoft.Storage/storageAccounts/stb',
      ],
      subnets: ['rg-a/vnet-a/default'],
    });
    expect(() => loadConfig({ RESTORE_STAGING_STORAGE_ACCOUNT: 'rg-a/sta,just-a-name' })).toThrow(
      /RESTORE_STAGING_STORAGE_ACCOUNT must list .* \(got "just-a-name"\)/,
    );
    expect(() => loadConfig({ RESTORE_SUBNET: 'rg-a/vnet-a' })).toThrow(/RESTORE_SUBNET must list/);
  });
});

describe('loadConfig: the unauthenticated modes stay on this machine', () => {
  const azure = {
    AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
    AZURE_VAULT_NAME: 'v1',
    AZURE_RESOURCE_GROUP: 'rg1',
  };
  const problems = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (e) {
      return (e as ConfigError).problems.join('\n');
    }
    throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
  };

  it('refuses TEAMS_LOCAL_ONLY beside real Azure', () => {
    expect(problems({ ...azure, TEAMS_LOCAL_ONLY: 'true' })).toMatch(
      /TEAMS_LOCAL_ONLY=true needs BACKUP_MODE=sandbox/,
    );
  });

  it('refuses TEAMS_LOCAL_ONLY on a non-loopback address', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'bot.example.com']) {
      expect(problems({ TEAMS_LOCAL_ONLY: 'true', HTTP_HOST: host })).toMatch(
        /TEAMS_LOCAL_ONLY=true needs a loopback HTTP_HOST/,
      );
    }
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
      expect(loadConfig({ TEAMS_LOCAL_ONLY: 'true', HTTP_HOST: host }).teams?.appId).toBeUndefined();
    }
  });

  it('refuses the web chat (it has no sign-in) on a non-loopback address, whether asked for or by default', () => {
    expect(problems({ HTTP_HOST: '0.0.0.0' })).toMatch(/web chat has no sign-in.*HTTP_HOST="0.0.0.0"/);
    expect(problems({ WEB_CHAT: 'on', HTTP_HOST: '192.168.1.5' })).toMatch(/web chat has no sign-in/);
    // Off, or not on because a chat platform is configured: any address will do.
    expect(loadConfig({ WEB_CHAT: 'off', HTTP_HOST: '0.0.0.0' }).webChat).toBe(false);
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', HTTP_HOST: '0.0.0.0' };
    expect(loadConfig({ ...azure, ...slack }).http.host).toBe('0.0.0.0');
  });
});

describe('loadConfig: alerts for failed scheduled backups', () => {
  const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

  it('alerts to the web chat on the default vault when nothing is set (sandbox)', () => {
    expect(loadConfig({}).alerts).toEqual({
      vaults: [{ vault: SANDBOX_VAULT_NAME, resourceGroup: 'rg-chatops' }],
      intervalMs: 2_000,
    });
    expect(loadConfig({ ALERT_CHANNEL: 'off' }).alerts).toBeUndefined();
  });

  it("requires the Action Groups' app role on webhook tokens: ActionGroupsSecureWebhook unless ALERT_WEBHOOK_ROLE says", () => {
    const webhook = {
      ALERT_WEBHOOK_AUDIENCE: 'api://backup-chatops-alerts',
      ALERT_WEBHOOK_TENANT_ID: '5a4d8b1e-0000-4000-8000-0000000a11ce',
    };
    expect(loadConfig(webhook).alertWebhook?.role).toBe('ActionGroupsSecureWebhook');
    expect(loadConfig({ ...webhook, ALERT_WEBHOOK_ROLE: 'Alerts.Send' }).alertWebhook?.role).toBe(
      'Alerts.Send',
    );
    expect(() => loadConfig({ ...webhook, ALERT_WEBHOOK_ROLE: 'two words' })).toThrow(/ALERT_WEBHOOK_ROLE/);
  });

  it('reads a Slack channel, the vaults (bare names in the default resource group) and the interval', () => {
    const c = loadConfig({
      ...slack,
      ALERT_CHANNEL: 'slack:C0ALERTS',
      ALERT_VAULTS: 'rsv-a, rg-other/rsv-b',
      ALERT_INTERVAL_MS: '60000',
    });
    expect(c.alerts).toEqual({
      channel: { platform: 'slack', channelId: 'C0ALERTS' },
      vaults: [
        { vault: 'rsv-a', resourceGroup: 'rg-chatops' },
        { vault: 'rsv-b', resourceGroup: 'rg-other' },
      ],
      intervalMs: 60_000,
    });
  });

  it('reads a Teams conversation with the Bot Connector to post through', () => {
    const teams = { TEAMS_LOCAL_ONLY: 'true', ALERT_CHANNEL: 'teams:19:abc@thread.tacv2' };
    expect(loadConfig(teams).alerts?.channel).toEqual({
      platform: 'teams',
      conversationId: '19:abc@thread.tacv2',
      serviceUrl: 'https://smba.trafficmanager.net/teams',
      tenantId: undefined,
    });
    const local = loadConfig({ ...teams, ALERT_TEAMS_SERVICE_URL: 'http://127.0.0.1:4000/' });
    expect(local.alerts?.channel).toMatchObject({ serviceUrl: 'http://127.0.0.1:4000' });
  });

  it('beside real Azure with no alert channel, is on for channels that subscribe from chat, and off with no chat at all', () => {
    const azure = {
      AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
      AZURE_VAULT_NAME: 'v1',
      AZURE_RESOURCE_GROUP: 'rg1',
    };
    const withSlack = loadConfig({ ...azure, ...slack }).alerts;
    expect(withSlack).toEqual({ vaults: [{ vault: 'v1', resourceGroup: 'rg1' }], intervalMs: 300_000 });
    expect(loadConfig({ ...azure, ...slack, ALERT_CHANNEL: 'slack:C0ALERTS' }).alerts?.channel).toEqual({
      platform: 'slack',
      channelId: 'C0ALERTS',
    });
    expect(loadConfig(azure).alerts).toBeUndefined();
    expect(() => loadConfig({ ...azure, ALERT_VAULTS: 'v1' })).toThrow(/ALERT_VAULTS .* set ALERT_CHANNEL/);
  });

  it('lists every malformed alert setting at once', () => {
    const problems = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as ConfigError).problems.join('\n');
      }
      throw new Error('expected a ConfigError');
    };
    const all = problems({
      ALERT_CHANNEL: 'email:ops@example.com',
      ALERT_VAULTS: 'bad name!,a/b/c,rg-x/',
      ALERT_INTERVAL_MS: 'often',
    });
    expect(all).toMatch(/ALERT_CHANNEL must be slack:<channel id>, teams:<conversation id> or off/);
    expect(all).toMatch(/ALERT_VAULTS: "bad name!"/);
    expect(all).toMatch(/ALERT_VAULTS: "a\/b\/c"/);
    expect(all).toMatch(/ALERT_VAULTS: "rg-x\/"/);
    expect(all).toMatch(/ALERT_INTERVAL_MS/);
    expect(problems({ ...slack, ALERT_CHANNEL: 'slack:#general' })).toMatch(/not a Slack channel id/);
    expect(problems({ ALERT_CHANNEL: 'slack:C1' })).toMatch(/needs the Slack channel \(SLACK_BOT_TOKEN\)/);
    expect(problems({ ALERT_CHANNEL: 'teams:19:x' })).toMatch(/needs the Teams channel/);
  });
});

describe('several subscriptions (AZURE_SUBSCRIPTION_IDS)', () => {
  const A = '11111111-1111-4111-8111-111111111111';
  const B = '22222222-2222-4222-8222-222222222222';
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  };

  it('reads each subscription with its default vault, the first being the default', () => {
    const c = loadConfig({ AZURE_SUBSCRIPTION_IDS: `${A}:rg-a/rsv-a, ${B}:rg-b/rsv-b` });
    expect(c.azure).toMatchObject({
      mode: 'azure',
      subscriptionId: A,
      vaultName: 'rsv-a',
      vaultResourceGroup: 'rg-a',
    });
    expect(c.azure.subscriptions).toEqual([
      { id: A, vaultName: 'rsv-a', vaultResourceGroup: 'rg-a' },
      { id: B, vaultName: 'rsv-b', vaultResourceGroup: 'rg-b' },
    ]);
  });

  it('lets the first take its vault from AZURE_VAULT_NAME, and keeps AZURE_SUBSCRIPTION_ID as the one-subscription form', () => {
    const c = loadConfig({
      AZURE_SUBSCRIPTION_IDS: `${A},${B}:rg-b/rsv-b`,
      AZURE_VAULT_NAME: 'v1',
      AZURE_RESOURCE_GROUP: 'rg1',
    });
    expect(c.azure.subscriptions.map((s) => s.vaultName)).toEqual(['v1', 'rsv-b']);
    const one = loadConfig({ AZURE_SUBSCRIPTION_ID: A, AZURE_VAULT_NAME: 'v1', AZURE_RESOURCE_GROUP: 'rg1' });
    expect(one.azure.subscriptions).toEqual([{ id: A, vaultName: 'v1', vaultResourceGroup: 'rg1' }]);
  });

  it('says what is wrong with a malformed list, all at once', () => {
    expect(problemsOf({ AZURE_SUBSCRIPTION_IDS: `not-a-guid:rg/v, ${A}:rg/v, ${A}:rg/v, ${B}` })).toEqual([
      'AZURE_SUBSCRIPTION_IDS: "not-a-guid:rg/v" is not <subscription id>:<resource group>/<vault> (the id a GUID).',
      `AZURE_SUBSCRIPTION_IDS names subscription ${A} twice.`,
      `AZURE_SUBSCRIPTION_IDS: give subscription ${B} its default vault (${B}:<resource group>/<vault>).`,
    ]);
    expect(problemsOf({ AZURE_SUBSCRIPTION_IDS: `${A}:rg/v`, AZURE_SUBSCRIPTION_ID: A })).toEqual([
      'Set AZURE_SUBSCRIPTION_IDS or AZURE_SUBSCRIPTION_ID, not both.',
    ]);
  });
});
