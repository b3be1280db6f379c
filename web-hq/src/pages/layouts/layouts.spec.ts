import { describe, expect, it } from 'vitest';
import { mainRegion, newRegion, overlaps, PRESETS, regionProblems, toRegionInput, type RegionDraft } from './layouts';

const three = PRESETS[0]!.regions;
const region = (over: Partial<RegionDraft>): RegionDraft => ({
  name: 'main',
  kind: 'CONTENT',
  x: 0,
  y: 0,
  width: 100,
  height: 100,
  text: '',
  ...over,
});

describe('layout designer', () => {
  it('finds nothing wrong with the presets, whose regions do not overlap', () => {
    for (const p of PRESETS) {
      expect(regionProblems(p.regions)).toEqual([]);
      expect(overlaps(p.regions)).toEqual([]);
    }
  });

  it.each([
    ['no regions', [], 'layout', 'Add at least one region.'],
    ['only a ticker', [region({ kind: 'TICKER', text: 'Hi' })], 'layout', 'A layout needs a content region'],
    ['a bad name', [region({ name: 'Main Area' })], 0, 'Name: lower case'],
    ['a name twice', [region({ width: 50 }), region({ x: 50, width: 50 })], 1, 'used twice'],
    ['a region off screen', [region({ x: 10 })], 0, 'inside the screen'],
    ['a sliver', [region({ height: 0.5 })], 0, 'at least 1%'],
    ['a silent ticker', [region({}), region({ name: 't', kind: 'TICKER', text: ' ' })], 1, 'needs its text'],
  ])('reports %s', (_what, regions, index, message) => {
    const problems = regionProblems(regions as RegionDraft[]);
    expect(problems[0]?.index).toBe(index);
    expect(problems[0]?.message).toContain(message);
  });

  it('names the main region, adds regions under fresh names and sends what the graph takes', () => {
    expect(mainRegion(three)).toBe('main');
    expect(mainRegion([region({ name: 'tick', kind: 'TICKER' }), region({ name: 'b' })])).toBe('b');
    expect(newRegion(three).name).toBe('region-4');
    expect(overlaps([...three, newRegion(three)]).map((p) => p.join('+'))).toEqual([
      'main+region-4',
      'side+region-4',
      'ticker+region-4',
    ]);
    expect(toRegionInput([region({ name: ' Side ', text: 'ignored' })])).toEqual([
      { name: 'side', kind: 'CONTENT', x: 0, y: 0, width: 100, height: 100, text: null },
    ]);
  });
});
