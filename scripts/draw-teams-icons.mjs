// Draws the Teams app icons (a shield): color 192×192 on the accent colour, outline 32×32 white on
// transparent, as Teams requires. Run once; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x / size, y / size), y * (size * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A shield: flat top, sides curving to a point at the bottom.
const inShield = (u, v, m) => {
  if (v < 0.18 + m || v > 0.86 - m) return false;
  const half = v < 0.5 ? 0.3 : 0.3 * Math.sqrt(Math.max(0, 1 - ((v - 0.5) / 0.36) ** 2));
  return Math.abs(u - 0.5) < half - m;
};
writeFileSync(
  'manifest/teams/color.png',
  png(192, (u, v) =>
    inShield(u, v, 0)
      ? inShield(u, v, 0.05)
        ? [0x62, 0x64, 0xa7, 255]
        : [255, 255, 255, 255]
      : [0x46, 0x47, 0x75, 255],
  ),
);
writeFileSync(
  'manifest/teams/outline.png',
  png(32, (u, v) => (inShield(u, v, 0) && !inShield(u, v, 0.09) ? [255, 255, 255, 255] : [0, 0, 0, 0])),
);
