import { describe, expect, it } from 'vitest';
import { campaignsForStore } from './campaigns';

const c = (id: string, over: { storeId?: string | null; paused?: string[]; displays?: string[] } = {}) => ({
  id,
  storeId: over.storeId ?? null,
  pausedStoreIds: over.paused ?? [],
  matchingDisplays: (over.displays ?? []).map((d) => ({ id: d })),
});

describe(campaignsForStore.name, () => {
  it('keeps the store’s own campaigns and tenant-wide ones reaching its displays, with their pause', () => {
    const list = [
      c('wide-here', { displays: ['d1', 'x9'], paused: ['s1'] }),
      c('wide-elsewhere', { displays: ['x9'] }),
      c('local', { storeId: 's1' }),
      c('other-local', { storeId: 's2', displays: ['d1'] }),
    ];
    expect(campaignsForStore(list, 's1', ['d1', 'd2'])).toEqual([
      { id: 'wide-here', local: false, paused: true },
      { id: 'local', local: true, paused: false },
    ]);
  });
});
