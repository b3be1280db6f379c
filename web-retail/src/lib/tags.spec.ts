import { describe, expect, it } from 'vitest';
import { parseTags } from './tags';

describe(parseTags.name, () => {
  it('splits on commas, trims, drops empties and repeats', () => {
    expect(parseTags(' window, promo ,, window,')).toEqual(['window', 'promo']);
    expect(parseTags('')).toEqual([]);
  });
});
