// Writes the installed app's icons as PNG files: `node assets/icons/generate.mjs`.
// Drawn here (a reaching target: rings and a centre dot on the app's background), so the icons
// carry no third-party licence. Anti-aliased by 4x4 supersampling; PNG written with node:zlib.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

const BACKGROUND = [0x0b, 0x1d, 0x2a];
const RING = [0xf5, 0xf7, 0xfa];
const DOT = [0xff, 0xd2, 0x3f];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGB PNG from a function giving each pixel's colour. */
function png(size, colourAt) {
  const raw = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b] = colourAt(x, y);
      raw.set([r, g, b], row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The target, as a fraction of the icon's size: `scale` 1 fills the icon; the maskable icon draws it
 * inside the central 80 % safe zone that launchers may crop to a circle.
 */
function target(size, scale) {
  const SAMPLES = 4;
  const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
  const shade = (u, v) => {
    const r = Math.hypot(u - 0.5, v - 0.5) / scale;
    if (r < 0.09) return DOT;
    if (r > 0.2 && r < 0.27) return RING;
    if (r > 0.36 && r < 0.42) return RING;
    return BACKGROUND;
  };
  return png(size, (x, y) => {
    let colour = [0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++)
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = shade((x + (sx + 0.5) / SAMPLES) / size, (y + (sy + 0.5) / SAMPLES) / size);
        colour = mix(colour, c, 1 / (sy * SAMPLES + sx + 1));
      }
    return colour.map(Math.round);
  });
}

const icons = {
  'icon-192.png': target(192, 1),
  'icon-512.png': target(512, 1),
  'icon-maskable-512.png': target(512, 0.8),
};
for (const [name, bytes] of Object.entries(icons)) writeFileSync(join(here, name), bytes);
