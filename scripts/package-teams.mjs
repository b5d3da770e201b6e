// `npm run package:teams`: the Teams app package (manifest.json + icons at the zip's root) with the
// bot's Microsoft App ID filled in, written to dist/teams-app.zip for upload to Teams.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

const appId = process.env.TEAMS_APP_ID ?? '';
if (!/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(appId)) {
  console.error(
    "Set TEAMS_APP_ID to the Azure Bot's Microsoft App ID (a GUID): TEAMS_APP_ID=… npm run package:teams",
  );
  process.exit(2);
}
const manifest = readFileSync('manifest/teams/manifest.json', 'utf8').replaceAll('{{TEAMS_APP_ID}}', appId);
const files = [
  ['manifest.json', Buffer.from(manifest)],
  ['color.png', readFileSync('manifest/teams/color.png')],
  ['outline.png', readFileSync('manifest/teams/outline.png')],
];

/** A ZIP of stored (uncompressed) entries: all Teams needs, no dependency. */
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

mkdirSync('dist', { recursive: true });
writeFileSync('dist/teams-app.zip', zip(files));
console.log('Wrote dist/teams-app.zip: upload it in Teams (Apps → Manage your apps → Upload an app).');
