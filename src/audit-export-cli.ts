import { loadConfig, storeLocation } from './config.js';
import { openDatabase } from './store/open-database.js';
import { AuditLog } from './approvals/audit-log.js';

/** `npm run audit:export > audit.jsonl`: the whole audit log, one JSON object a line, oldest first. */
const config = loadConfig();
const db = await openDatabase(storeLocation(config));
process.stdout.write(await new AuditLog(db).exportJsonLines());
await db.destroy();
