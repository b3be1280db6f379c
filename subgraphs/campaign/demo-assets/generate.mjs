// Renders the demo slides as indexed PNGs with nothing but Node (zlib), so they are reproducible:
//   node subgraphs/campaign/demo-assets/generate.mjs
// Text uses a built-in 5×7 pixel font; every slide is a few flat colours, so files stay small.
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { deflateSync } from 'node:zlib';

const FONT = {
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  B: ['11110', '10001', '10001', '11110', '10001', '10001', '11110'],
  C: ['01110', '10001', '10000', '10000', '10000', '10001', '01110'],
  D: ['11110', '10001', '10001', '10001', '10001', '10001', '11110'],
  E: ['11111', '10000', '10000', '11110', '10000', '10000', '11111'],
  F: ['11111', '10000', '10000', '11110', '10000', '10000', '10000'],
  G: ['01110', '10001', '10000', '10111', '10001', '10001', '01111'],
  H: ['10001', '10001', '10001', '11111', '10001', '10001', '10001'],
  I: ['01110', '00100', '00100', '00100', '00100', '00100', '01110'],
  J: ['00111', '00010', '00010', '00010', '00010', '10010', '01100'],
  K: ['10001', '10010', '10100', '11000', '10100', '10010', '10001'],
  L: ['10000', '10000', '10000', '10000', '10000', '10000', '11111'],
  M: ['10001', '11011', '10101', '10101', '10001', '10001', '10001'],
  N: ['10001', '10001', '11001', '10101', '10011', '10001', '10001'],
  O: ['01110', '10001', '10001', '10001', '10001', '10001', '01110'],
  P: ['11110', '10001', '10001', '11110', '10000', '10000', '10000'],
  Q: ['01110', '10001', '10001', '10001', '10101', '10010', '01101'],
  R: ['11110', '10001', '10001', '11110', '10100', '10010', '10001'],
  S: ['01111', '10000', '10000', '01110', '00001', '00001', '11110'],
  T: ['11111', '00100', '00100', '00100', '00100', '00100', '00100'],
  U: ['10001', '10001', '10001', '10001', '10001', '10001', '01110'],
  V: ['10001', '10001', '10001', '10001', '10001', '01010', '00100'],
  W: ['10001', '10001', '10001', '10101', '10101', '10101', '01010'],
  X: ['10001', '10001', '01010', '00100', '01010', '10001', '10001'],
  Y: ['10001', '10001', '01010', '00100', '00100', '00100', '00100'],
  Z: ['11111', '00001', '00010', '00100', '01000', '10000', '11111'],
  0: ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  1: ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  2: ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  3: ['11111', '00010', '00100', '00010', '00001', '10001', '01110'],
  4: ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  5: ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  6: ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  7: ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  8: ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  9: ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
  '%': ['11000', '11001', '00010', '00100', '01000', '10011', '00011'],
  '!': ['00100', '00100', '00100', '00100', '00100', '00000', '00100'],
  '-': ['00000', '00000', '00000', '11111', '00000', '00000', '00000'],
  ':': ['00000', '01100', '01100', '00000', '01100', '01100', '00000'],
  '.': ['00000', '00000', '00000', '00000', '00000', '01100', '01100'],
  ',': ['00000', '00000', '00000', '00000', '01100', '00100', '01000'],
  "'": ['00100', '00100', '01000', '00000', '00000', '00000', '00000'],
  '&': ['01100', '10010', '10100', '01000', '10101', '10010', '01101'],
};

class Canvas {
  constructor(width, height, palette) {
    this.width = width;
    this.height = height;
    this.palette = palette; // [[r,g,b], …], at most 256
    this.pixels = new Uint8Array(width * height);
  }
  rect(x, y, w, h, c) {
    const x0 = Math.max(0, Math.floor(x));
    const x1 = Math.min(this.width, Math.floor(x + w));
    for (let row = Math.max(0, Math.floor(y)); row < Math.min(this.height, Math.floor(y + h)); row++) {
      this.pixels.fill(c, row * this.width + x0, row * this.width + x1);
    }
  }
  circle(cx, cy, r, c) {
    for (let row = Math.max(0, cy - r); row < Math.min(this.height, cy + r); row++) {
      const half = Math.sqrt(r * r - (row - cy) * (row - cy));
      this.rect(cx - half, row, half * 2, 1, c);
    }
  }
  /** Vertical gradient through palette entries `from`..`to` (consecutive). */
  gradient(from, to) {
    const steps = to - from + 1;
    for (let row = 0; row < this.height; row++) {
      this.rect(0, row, this.width, 1, from + Math.min(steps - 1, Math.floor((row / this.height) * steps)));
    }
  }
  textWidth(text, scale) {
    return text.length * 6 * scale - scale;
  }
  text(text, x, y, scale, c) {
    let cx = x;
    for (const ch of text.toUpperCase()) {
      const glyph = FONT[ch] ?? FONT[' '];
      glyph.forEach((bits, row) => {
        for (let col = 0; col < 5; col++)
          if (bits[col] === '1') this.rect(cx + col * scale, y + row * scale, scale, scale, c);
      });
      cx += 6 * scale;
    }
  }
  /** Centred text, shrunk until it fits within `maxWidth`. */
  centred(text, y, scale, c, maxWidth = this.width * 0.9) {
    while (scale > 2 && this.textWidth(text, scale) > maxWidth) scale--;
    this.text(text, Math.round((this.width - this.textWidth(text, scale)) / 2), y, scale, c);
    return y + 7 * scale;
  }
  png() {
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const crc = (buf) => {
      let c = 0xffffffff;
      for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
      return (c ^ 0xffffffff) >>> 0;
    };
    const chunk = (type, data) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
      const sum = Buffer.alloc(4);
      sum.writeUInt32BE(crc(body));
      return Buffer.concat([len, body, sum]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header[8] = 8; // bit depth
    header[9] = 3; // indexed colour
    const raw = Buffer.alloc((this.width + 1) * this.height);
    for (let row = 0; row < this.height; row++) {
      raw[row * (this.width + 1)] = 0; // filter: none
      raw.set(this.pixels.subarray(row * this.width, (row + 1) * this.width), row * (this.width + 1) + 1);
    }
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('PLTE', Buffer.from(this.palette.flat())),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));
const ramp = (a, b, n) => Array.from({ length: n }, (_, i) => mix(a, b, i / (n - 1)));

/** A branded slide: gradient background, accent shapes, headline, sub line and footer band. */
function slide({ width, height, top, bottom, accent, ink, headline, sub, footer }) {
  const BG = 16;
  const palette = [...ramp(top, bottom, BG), accent, ink, mix(accent, bottom, 0.5), [255, 255, 255]];
  const [A, I, SOFT, WHITE] = [BG, BG + 1, BG + 2, BG + 3];
  const c = new Canvas(width, height, palette);
  const portrait = height > width;
  c.gradient(0, BG - 1);
  c.circle(Math.round(width * 0.88), Math.round(height * 0.12), Math.round(Math.min(width, height) * 0.22), SOFT);
  c.circle(Math.round(width * 0.08), Math.round(height * 0.9), Math.round(Math.min(width, height) * 0.16), SOFT);
  c.rect(0, 0, width, Math.round(height * 0.012), A);
  let y = Math.round(height * (portrait ? 0.3 : 0.28));
  for (const line of headline) y = c.centred(line, y, portrait ? 26 : 30, I) + (portrait ? 50 : 40);
  c.rect(Math.round(width * 0.35), y, Math.round(width * 0.3), portrait ? 14 : 12, A);
  y += portrait ? 80 : 60;
  for (const line of sub) y = c.centred(line, y, portrait ? 11 : 12, I) + 30;
  const band = Math.round(height * (portrait ? 0.07 : 0.1));
  c.rect(0, height - band, width, band, A);
  c.centred(footer, height - band + Math.round((band - 7 * 6) / 2), 6, WHITE);
  return c.png();
}

const LANDSCAPE = { width: 1920, height: 1080 };
const PORTRAIT = { width: 1080, height: 1920 };
const SLIDES = {
  'autumn-sale-landscape.png': {
    ...LANDSCAPE,
    top: [120, 40, 20],
    bottom: [60, 18, 10],
    accent: [232, 120, 30],
    ink: [255, 236, 210],
    headline: ['AUTUMN SALE'],
    sub: ['UP TO 40% OFF', 'KNITWEAR, BOOTS & COATS'],
    footer: 'PERSONALISATION HUB DEMO',
  },
  'autumn-sale-portrait.png': {
    ...PORTRAIT,
    top: [120, 40, 20],
    bottom: [60, 18, 10],
    accent: [232, 120, 30],
    ink: [255, 236, 210],
    headline: ['AUTUMN', 'SALE'],
    sub: ['UP TO 40% OFF', 'THIS WEEK ONLY'],
    footer: 'PERSONALISATION HUB DEMO',
  },
  'breakfast-from-7am.png': {
    ...LANDSCAPE,
    top: [250, 214, 120],
    bottom: [214, 150, 60],
    accent: [120, 60, 20],
    ink: [70, 36, 12],
    headline: ['BREAKFAST', 'FROM 7AM'],
    sub: ['FRESH COFFEE & PASTRIES'],
    footer: 'IN-STORE CAFE - GROUND FLOOR',
  },
  'new-in-store.png': {
    ...LANDSCAPE,
    top: [20, 90, 110],
    bottom: [8, 40, 60],
    accent: [40, 200, 180],
    ink: [230, 255, 250],
    headline: ['NEW IN STORE'],
    sub: ['THE WINTER COLLECTION HAS ARRIVED'],
    footer: 'ASK OUR TEAM FOR DETAILS',
  },
  'flagship-exclusive.png': {
    ...PORTRAIT,
    top: [30, 30, 40],
    bottom: [6, 6, 10],
    accent: [212, 175, 55],
    ink: [250, 240, 210],
    headline: ['FLAGSHIP', 'EXCLUSIVE'],
    sub: ['ONLY AT OUR', 'FLAGSHIP STORES'],
    footer: 'LIMITED EDITION',
  },
  'queue-please-wait.png': {
    ...LANDSCAPE,
    top: [30, 60, 130],
    bottom: [14, 28, 70],
    accent: [90, 160, 255],
    ink: [235, 242, 255],
    headline: ['PLEASE TAKE', 'A TICKET'],
    sub: ["WE'LL CALL YOUR NUMBER SHORTLY"],
    footer: 'NOW SERVING ON THE SCREEN BESIDE YOU',
  },
  'welcome-portrait.png': {
    ...PORTRAIT,
    top: [40, 110, 60],
    bottom: [14, 50, 26],
    accent: [140, 220, 120],
    ink: [236, 255, 230],
    headline: ['WELCOME'],
    sub: ['FREE WI-FI & CLICK', 'AND COLLECT INSIDE'],
    footer: 'OPEN 7 DAYS',
  },
};

const here = dirname(fileURLToPath(import.meta.url));
for (const [file, spec] of Object.entries(SLIDES)) {
  const png = slide(spec);
  writeFileSync(join(here, file), png);
  process.stderr.write(`${file}: ${spec.width}x${spec.height}, ${png.length} bytes\n`);
}
