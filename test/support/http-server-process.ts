import { startHttpServer } from '../../src/http/http-server.js';
import { silentLogger } from '../../src/logger.js';

/**
 * The product's HTTP server alone, in a process of its own (so a test can give it a small open-file
 * limit): prints its URL on the first line of stdout, then serves until killed.
 */
const server = await startHttpServer({ host: '127.0.0.1', port: 0, handlers: [], logger: silentLogger });
process.stdout.write(`${server.url}\n`);
