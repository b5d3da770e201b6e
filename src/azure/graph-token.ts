import { isLoopbackHost } from '../domain/loopback.js';
import { azureSdk } from './azure-sdk.js';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * The bearer token the bot sends to Microsoft Graph: its own Azure identity's
 * (DefaultAzureCredential, as for Azure Resource Manager). A Graph on this machine is a test fake:
 * it gets a fixed placeholder, so the bot's real token never goes to a test server.
 */
export function graphTokenSource(baseUrl: string): () => Promise<string> {
  if (isLoopbackHost(new URL(baseUrl).hostname)) return () => Promise.resolve('local-graph-token');
  const credential = new azureSdk.identity.DefaultAzureCredential();
  return async () => {
    const token = await credential.getToken(GRAPH_SCOPE);
    return token.token;
  };
}
