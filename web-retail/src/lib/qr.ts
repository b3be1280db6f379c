import { encode } from 'uqr';

/** A QR code as one SVG path of its dark modules, with the 4-module quiet zone scanners need. */
export function qrPath(text: string): { size: number; d: string } {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  const quiet = 4;
  const parts: string[] = [];
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x + quiet} ${y + quiet}h1v1h-1z`);
    }),
  );
  return { size: size + 2 * quiet, d: parts.join('') };
}
