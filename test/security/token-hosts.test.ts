import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CLOUD_HOSTS } from '../../src/identity/cloud-hosts.js';

/**
 * Settings that carry the bot's tokens (Graph) or decide which tokens it trusts (the Entra
 * authority, OpenID metadata) accept only Microsoft's public and sovereign cloud hosts over https;
 * local fakes only beside the sandbox. Refused at start, every problem listed.
 */
const GUID = '00000000-0000-0000-0000-000000000000';
const REAL_AZURE = {
  AZURE_SUBSCRIPTION_ID: GUID,
  AZURE_VAULT_NAME: 'rsv',
  AZURE_RESOURCE_GROUP: 'rg',
  TEAMS_APP_ID: GUID,
  TEAMS_APP_PASSWORD: 'secret',
  TEAMS_APP_TENANT_ID: GUID,
  ALERT_WEBHOOK_AUDIENCE: 'api://backup-chatops-alerts',
  ALERT_WEBHOOK_TENANT_ID: GUID,
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('token hosts', () => {
  it('refuses, beside real Azure, every token setting pointing at another host, listing each', () => {
    const problems = problemsOf({
      ...REAL_AZURE,
      GRAPH_URL: 'https://graph.evil.example',
      TEAMS_AUTHORITY: 'https://login.microsoftonline.com.evil.example/tenant',
      ALERT_WEBHOOK_OPENID_METADATA_URL: 'https://evil.example/.well-known/openid-configuration',
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /^GRAPH_URL must be https:\/\/ on one of graph\.microsoft\.com, graph\.microsoft\.us, dod-graph\.microsoft\.us, microsoftgraph\.chinacloudapi\.cn: .*"https:\/\/graph\.evil\.example"/,
    );
    expect(problems[1]).toMatch(/^TEAMS_AUTHORITY must be https:\/\/ on one of login\.microsoftonline\.com/);
    expect(problems[2]).toMatch(
      /^ALERT_WEBHOOK_OPENID_METADATA_URL must be https:\/\/ on one of login\.microsoftonline\.com/,
    );
    expect(
      problemsOf({
        ...REAL_AZURE,
        TEAMS_SDK: 'botbuilder',
        TEAMS_OPENID_METADATA_URL: 'https://keys.evil.example/v1',
      }),
    ).toEqual([
      expect.stringMatching(
        /^TEAMS_OPENID_METADATA_URL must be https:\/\/ on one of login\.botframework\.com, login\.botframework\.azure\.us:/,
      ),
    ]);
  });

  it('refuses a local fake beside real Azure: loopback is for the sandbox only', () => {
    expect(problemsOf({ ...REAL_AZURE, GRAPH_URL: 'http://127.0.0.1:4000' })).toEqual([
      expect.stringMatching(/^GRAPH_URL must be https:\/\/ on one of .*: it receives the bot's tokens/),
    ]);
  });

  it('refuses plain http and credentials in the URL even on a Microsoft host', () => {
    expect(problemsOf({ ...REAL_AZURE, GRAPH_URL: 'https://user:pw@graph.microsoft.com' })).toHaveLength(1);
    expect(problemsOf({ ...REAL_AZURE, GRAPH_URL: 'http://graph.microsoft.com' }).length).toBeGreaterThan(0);
  });

  it.each([
    ...CLOUD_HOSTS.graph.map((h) => ({ GRAPH_URL: `https://${h}` })),
    ...CLOUD_HOSTS.entra.map((h) => ({ TEAMS_AUTHORITY: `https://${h}/${GUID}` })),
    ...CLOUD_HOSTS.entra.map((h) => ({
      ALERT_WEBHOOK_OPENID_METADATA_URL: `https://${h}/${GUID}/v2.0/.well-known/openid-configuration`,
    })),
    ...CLOUD_HOSTS.botFramework.map((h) => ({
      TEAMS_SDK: 'botbuilder',
      TEAMS_OPENID_METADATA_URL: `https://${h}/v1/.well-known/openidconfiguration`,
    })),
  ])('accepts the public and sovereign clouds’ own hosts: %j', (setting) => {
    expect(problemsOf({ ...REAL_AZURE, ...setting })).toEqual([]);
  });

  it('accepts local fakes with the sandbox, and still refuses other hosts there', () => {
    expect(
      problemsOf({
        GRAPH_URL: 'http://127.0.0.1:4000',
        TEAMS_LOCAL_ONLY: 'true',
        TEAMS_AUTHORITY: 'http://localhost:5000/t',
      }),
    ).toEqual([]);
    expect(problemsOf({ GRAPH_URL: 'https://graph.evil.example' })).toEqual([
      expect.stringMatching(
        /^GRAPH_URL must be https:\/\/ on one of .*, or a loopback address with the sandbox/,
      ),
    ]);
  });
});
