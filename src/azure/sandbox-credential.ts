import type { AccessToken, TokenCredential } from '@azure/core-auth';

/**
 * The sandbox accepts any bearer token; this credential hands out a fixed one so the real SDK
 * pipeline (bearer policy included) runs unchanged. Real Azure uses DefaultAzureCredential.
 */
export class SandboxCredential implements TokenCredential {
  async getToken(): Promise<AccessToken> {
    return { token: 'sandbox-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}
