import { describe, expect, it } from 'vitest';
import { campaignOrder } from './sorting';

describe(campaignOrder.name, () => {
  it.each([
    ['name', 'asc', { field: 'NAME', direction: 'ASC' }],
    ['priority', 'desc', { field: 'PRIORITY', direction: 'DESC' }],
    ['status', null, { field: 'STATUS', direction: 'ASC' }],
    ['updated', 'desc', { field: 'UPDATED', direction: 'DESC' }],
    // Old links sorted a page by reach; the server cannot, so they fall back to name.
    ['reach', 'desc', { field: 'NAME', direction: 'DESC' }],
    [null, null, { field: 'NAME', direction: 'ASC' }],
  ] as const)('?sort=%s&dir=%s asks the server for %j', (key, dir, order) => {
    expect(campaignOrder(key, dir)).toEqual(order);
  });
});
