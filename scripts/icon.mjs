// Draws media/icon.png, the Marketplace icon (128×128): the activity bar's shield (media/pki.svg)
// in white on NAVER green, with a keyhole. No image library: shapes are sampled 4×4 per pixel and
// the PNG is written with node:zlib. Run `node scripts/icon.mjs` after changing the drawing.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4; // samples per pixel side
const GREEN = [3, 199, 90];
const DARK = [2, 150, 68];

/** Cubic Bézier points from p0 to p3, `n` steps (p0 excluded). */
function cubic(p0, p1, p2, p3, n = 24) {
  const out = [];
  for (let i = 1; i <= n; i++) {
    const t = i / n;
    const u = 1 - t;
    out.push([0, 1].map((k) => u * u * u * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t * t * t * p3[k]));
  }
  return out;
}

// media/pki.svg's shield, in its 24-unit box: M12 2 4 5v6c0 5 3.4 9.3 8 11 4.6-1.7 8-6 8-11V5l-8-3z
const shield = [[12, 2], [4, 5], [4, 11], ...cubic([4, 11], [4, 16], [7.4, 20.3], [12, 22]), ...cubic([12, 22], [16.6, 20.3], [20, 16], [20, 11]), [20, 5]];
const scale = 4.6;
const off = [64 - 12 * scale, 64 - 12 * scale];
const poly = shield.map(([x, y]) => [off[0] + x * scale, off[1] + y * scale]);

function inPolygon(x, y, p) {
  let inside = false;
  for (let i = 0, j = p.length - 1; i < p.length; j = i++) {
    const [xi, yi] = p[i];
    const [xj, yj] = p[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

function inRoundedSquare(x, y, r) {
  const cx = Math.min(Math.max(x, r), SIZE - r);
  const cy = Math.min(Math.max(y, r), SIZE - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

const [kx, ky] = [off[0] + 12 * scale, off[1] + 10.5 * scale];
function inKeyhole(x, y) {
  const circle = (x - kx) ** 2 + (y - ky) ** 2 <= (2.4 * scale) ** 2;
  const stem = Math.abs(x - kx) <= 1.1 * scale && y >= ky && y <= ky + 6.5 * scale;
  return circle || stem;
}

/** The colour (RGBA) of one sample point. */
function sample(x, y) {
  if (!inRoundedSquare(x, y, 22)) {
    return [0, 0, 0, 0];
  }
  if (inPolygon(x, y, poly)) {
    return inKeyhole(x, y) ? [...DARK, 255] : [255, 255, 255, 255];
  }
  // A soft top-to-bottom shade on the tile.
  const t = y / SIZE;
  return [...GREEN.map((c, i) => Math.round(c * (1 - 0.15 * t) + DARK[i] * 0.15 * t)), 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        // Premultiplied sums so edges against transparency do not darken.
        for (let k = 0; k < 3; k++) {
          acc[k] += c[k] * c[3];
        }
        acc[3] += c[3];
      }
    }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    const a = acc[3] / (SS * SS);
    for (let k = 0; k < 3; k++) {
      raw[o + k] = acc[3] ? Math.round(acc[k] / acc[3]) : 0;
    }
    raw[o + 3] = Math.round(a);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) {
    c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
