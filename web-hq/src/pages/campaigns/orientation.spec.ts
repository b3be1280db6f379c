import { describe, expect, it } from 'vitest';
import { describeMismatch, orientationMismatches } from './orientation';

const L = { orientation: 'LANDSCAPE' };
const P = { orientation: 'PORTRAIT' };

describe(orientationMismatches.name, () => {
  it('names the creatives that suit none of the matched portrait displays', () => {
    const found = orientationMismatches(
      [L, P, P],
      [
        { name: 'Wide', orientations: ['LANDSCAPE'] },
        { name: 'Both', orientations: ['LANDSCAPE', 'PORTRAIT'] },
        { name: 'Tall', orientations: ['PORTRAIT'] },
        { name: 'Unknown', orientations: [] },
      ],
    );
    expect(found).toEqual([
      { orientation: 'LANDSCAPE', displays: 1, creatives: ['Tall'] },
      { orientation: 'PORTRAIT', displays: 2, creatives: ['Wide'] },
    ]);
    expect(found.map(describeMismatch)).toEqual([
      '1 landscape display matches, but “Tall” is portrait only',
      '2 portrait displays match, but “Wide” is landscape only',
    ]);
  });

  it('says nothing when every creative suits every matched display, or no display matches', () => {
    expect(orientationMismatches([L, L], [{ name: 'Wide', orientations: ['LANDSCAPE'] }])).toEqual([]);
    expect(orientationMismatches([], [{ name: 'Tall', orientations: ['PORTRAIT'] }])).toEqual([]);
  });

  it('lists several creatives in one sentence', () => {
    const [m] = orientationMismatches(
      [P],
      [
        { name: 'A', orientations: ['LANDSCAPE'] },
        { name: 'B', orientations: ['LANDSCAPE'] },
        { name: 'C', orientations: ['LANDSCAPE'] },
      ],
    );
    expect(describeMismatch(m!)).toBe('1 portrait display matches, but “A”, “B” and “C” are landscape only');
  });
});
