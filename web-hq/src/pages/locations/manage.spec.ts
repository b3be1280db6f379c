import { describe, expect, it } from 'vitest';
import { commonStore, parseTags, selectionState, toggle, toggleAll } from './manage';

describe('parseTags', () => {
  it.each([
    ['Window, promo ,window', ['promo', 'window'], []],
    ['front wall, a:b', ['a:b', 'front-wall'], []],
    ['ok, -bad, émoji', ['ok'], ['-bad', 'émoji']],
    [' , ', [], []],
  ])('%j → %j', (text, tags, invalid) => {
    expect(parseTags(text)).toEqual({ tags, invalid });
  });
});

describe('selection', () => {
  it('toggles one row and every shown row', () => {
    const one = toggle(new Set(), 'a');
    expect([...one]).toEqual(['a']);
    expect([...toggle(one, 'a')]).toEqual([]);
    const all = toggleAll(one, ['a', 'b', 'c']);
    expect([...all].sort()).toEqual(['a', 'b', 'c']);
    // Rows selected on another page stay selected when the shown ones are cleared.
    expect([...toggleAll(new Set(['a', 'b', 'z']), ['a', 'b'])]).toEqual(['z']);
  });

  it.each([
    [[], ['a', 'b'], 'none'],
    [['a'], ['a', 'b'], 'some'],
    [['a', 'b', 'z'], ['a', 'b'], 'all'],
    [['z'], [], 'none'],
  ] as const)('%j of %j shown is %s', (selected, shown, state) => {
    expect(selectionState(new Set(selected), shown)).toBe(state);
  });
});

describe('commonStore', () => {
  it('names the store only when every display is in it', () => {
    expect(commonStore([{ storeId: 's1' }, { storeId: 's1' }])).toBe('s1');
    expect(commonStore([{ storeId: 's1' }, { storeId: 's2' }])).toBeNull();
    expect(commonStore([])).toBeNull();
  });
});
