import { describe, expect, it } from 'vitest';
import { fleetOrder, fleetSort, nextSort, pageSize } from './sorting';

describe(fleetSort.name, () => {
  it.each([
    ['name', 'desc', { key: 'name', dir: 'desc' }, { field: 'NAME', direction: 'DESC' }],
    ['lastSeen', null, { key: 'lastSeen', dir: 'asc' }, { field: 'LAST_SEEN', direction: 'ASC' }],
    ['store', 'asc', { key: 'store', dir: 'asc' }, { field: 'STORE', direction: 'ASC' }],
    // Unknown or missing: worst status first.
    ['reach', 'desc', { key: 'status', dir: 'asc' }, { field: 'STATUS', direction: 'ASC' }],
    [null, null, { key: 'status', dir: 'asc' }, { field: 'STATUS', direction: 'ASC' }],
  ] as const)('?sort=%s&dir=%s', (key, dir, sort, order) => {
    expect(fleetSort(key, dir)).toEqual(sort);
    expect(fleetOrder(fleetSort(key, dir))).toEqual(order);
  });
});

describe(nextSort.name, () => {
  it('reverses the column sorted by, and starts a new one in its natural direction', () => {
    expect(nextSort({ key: 'name', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'desc' });
    expect(nextSort({ key: 'name', dir: 'asc' }, 'lastSeen')).toEqual({ key: 'lastSeen', dir: 'desc' });
    expect(nextSort({ key: 'lastSeen', dir: 'desc' }, 'store')).toEqual({ key: 'store', dir: 'asc' });
  });
});

describe(pageSize.name, () => {
  it.each([
    ['10', 10],
    ['100', 100],
    ['7', 25],
    [null, 25],
  ])('%s → %d', (value, size) => {
    expect(pageSize(value)).toBe(size);
  });
});
