import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { qrPath } from './qr';

describe(qrPath.name, () => {
  it('draws every dark module of the code once, inside a 4-module quiet zone', () => {
    const text = 'https://shop.example/retail/v/offer/7b0a8f7e-1111-4111-8111-111111111111';
    const { data, size } = encode(text, { ecc: 'M', border: 0 });
    const path = qrPath(text);
    expect(path.size).toBe(size + 8);
    const squares = path.d.match(/M\d+ \d+/g) ?? [];
    expect(squares.length).toBe(data.flat().filter(Boolean).length);
    // The finder pattern's top-left corner is dark and sits at (4, 4).
    expect(squares[0]).toBe('M4 4');
    const coords = squares.map((s) => s.slice(1).split(' ').map(Number));
    expect(Math.min(...coords.flat())).toBe(4);
    expect(Math.max(...coords.flat())).toBe(size + 3);
  });
});
