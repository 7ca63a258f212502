/**
 * Draws the app's icon.png (128×128) and logo.png (250×100) with no image library: shapes as
 * signed distances, 4×4 supersampling, PNG written with node:zlib. The PNGs are committed; run
 * this again only to change the artwork: node scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
/** One layer: distance from the shape's edge (negative inside) and its colour at a point. */
type Layer = { dist: (x: number, y: number) => number; color: (x: number, y: number) => Rgba };

const WHITE: Rgba = [255, 255, 255, 255];
const SAMPLES = 4;

function roundedBox(cx: number, cy: number, hw: number, hh: number, r: number) {
  return (x: number, y: number): number => {
    const qx = Math.abs(x - cx) - hw + r;
    const qy = Math.abs(y - cy) - hh + r;
    const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
    return outside + Math.min(Math.max(qx, qy), 0) - r;
  };
}

function ring(shape: (x: number, y: number) => number, width: number) {
  return (x: number, y: number): number => Math.abs(shape(x, y)) - width / 2;
}

/** The house glyph: a roof triangle over a square body, as the union of two convex shapes. */
function house(cx: number, cy: number, s: number) {
  const body = roundedBox(cx, cy + s * 0.35, s * 0.6, s * 0.5, s * 0.06);
  return (x: number, y: number): number => {
    const top = cy - s * 0.95;
    // Distance-like measure to the roof: below both slopes and above the eaves line.
    const slope = (Math.abs(x - cx) * 0.95 + (top - y)) / Math.hypot(0.95, 1);
    const eaves = y - (cy - s * 0.1);
    return Math.min(body(x, y), Math.max(slope, eaves));
  };
}

function gradient(x: number, y: number, size: number): Rgba {
  const t = (x + y) / (2 * size);
  return [Math.round(3 + 20 * t), Math.round(169 - 40 * t), Math.round(244 - 30 * t), 255];
}

function render(width: number, height: number, layers: Layer[]): Buffer {
  const rows: Buffer[] = [];
  for (let py = 0; py < height; py++) {
    const row = Buffer.alloc(1 + width * 4); // filter byte 0 (none) per row
    for (let px = 0; px < width; px++) {
      const acc = [0, 0, 0, 0];
      for (let s = 0; s < SAMPLES * SAMPLES; s++) {
        const x = px + ((s % SAMPLES) + 0.5) / SAMPLES;
        const y = py + (Math.floor(s / SAMPLES) + 0.5) / SAMPLES;
        let pixel: Rgba = [0, 0, 0, 0];
        for (const layer of layers) if (layer.dist(x, y) <= 0) pixel = layer.color(x, y);
        for (let c = 0; c < 4; c++)
          acc[c] = (acc[c] ?? 0) + (pixel[c] ?? 0) * (c < 3 ? pixel[3] : 1);
      }
      const alpha = (acc[3] ?? 0) / (SAMPLES * SAMPLES);
      for (let c = 0; c < 3; c++) {
        row[1 + px * 4 + c] = alpha ? Math.round((acc[c] ?? 0) / (alpha * SAMPLES * SAMPLES)) : 0;
      }
      row[1 + px * 4 + 3] = Math.round(alpha);
    }
    rows.push(row);
  }
  return png(width, height, Buffer.concat(rows));
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(width: number, height: number, raw: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The mark: a tablet outline with a house on its screen and a status dot, on a blue tile. */
function mark(cx: number, cy: number, size: number, tile: boolean): Layer[] {
  const s = size / 128;
  const white = () => WHITE;
  const layers: Layer[] = [];
  if (tile) {
    layers.push({
      dist: roundedBox(cx, cy, 64 * s, 64 * s, 26 * s),
      color: (x, y) => gradient(x - (cx - 64 * s), y - (cy - 64 * s), size),
    });
  }
  const screen = roundedBox(cx, cy, 44 * s, 32 * s, 9 * s);
  layers.push({ dist: ring(screen, 7 * s), color: white });
  layers.push({ dist: house(cx, cy + 1 * s, 19 * s), color: white });
  const door = roundedBox(cx, cy + 13 * s, 3.5 * s, 6.5 * s, 1 * s);
  layers.push({
    dist: door,
    color: (x, y) => gradient(x - (cx - 64 * s), y - (cy - 64 * s), size),
  });
  const dot = (x: number, y: number) => Math.hypot(x - (cx + 44 * s), y - (cy - 32 * s)) - 11 * s;
  layers.push({
    dist: (x, y) => dot(x, y) - 3 * s,
    color: tile ? (x, y) => gradient(x, y, size) : () => [0, 0, 0, 0],
  });
  layers.push({ dist: dot, color: () => [255, 193, 7, 255] });
  return layers;
}

/** Three paired devices (phone, tablet, TV) linked to the mark: what HAsync does. */
function logoLayers(): Layer[] {
  const blue: Rgba = [3, 169, 244, 255];
  const dark: Rgba = [33, 62, 92, 255];
  const layers = mark(50, 50, 96, true);
  const link = (x: number, y: number) => Math.max(Math.abs(y - 50) - 2, Math.abs(x - 125) - 25);
  layers.push({ dist: link, color: () => blue });
  const devices = [
    roundedBox(168, 50, 9, 16, 3),
    roundedBox(200, 50, 16, 12, 3),
    roundedBox(235, 46, 13, 9, 2),
  ];
  for (const device of devices) layers.push({ dist: ring(device, 3.5), color: () => dark });
  layers.push({ dist: roundedBox(235, 60, 6, 1.5, 1), color: () => dark });
  return layers;
}

const out = new URL('../', import.meta.url);
writeFileSync(new URL('icon.png', out), render(128, 128, mark(64, 64, 128, true)));
writeFileSync(new URL('logo.png', out), render(250, 100, logoLayers()));
process.stdout.write('wrote icon.png (128×128) and logo.png (250×100)\n');
