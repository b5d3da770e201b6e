// Preloaded by `npm start` (node --import): reads ./.env when there is one, with Node's own
// loader. `--env-file` fails when the file is missing, and a preloaded module works the same under
// tsx (`npm start`) and plain node (`npm run start:built`), so the file's presence is checked here. Variables already set in the
// environment win over the file (process.loadEnvFile never overwrites them).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const file = resolve('.env');
if (existsSync(file)) process.loadEnvFile(file);
