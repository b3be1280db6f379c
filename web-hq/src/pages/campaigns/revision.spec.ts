import { describe, expect, it } from 'vitest';
import { autoApproves, describeChanges, describeReach, saveOutcome, type Content } from './revision';

const live: Content = {
  priority: 0,
  weight: 1,
  schedule: { dayparts: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '09:00', to: '17:00' }] },
  targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [] },
  creativeIds: ['a', 'b'],
};

describe(describeChanges.name, () => {
  it('says nothing for the same content', () => {
    expect(describeChanges(live, { ...live })).toEqual([]);
  });

  it('names the line a revision’s queue condition chooses', () => {
    const lineName = (id: string) => (id === 'l1' ? 'line “Returns” of Oxford Street' : undefined);
    const busy = { ...live, targeting: { ...live.targeting, queue: [{ lineId: 'l1', minWaiting: 5 }] } };
    expect(describeChanges(live, busy, undefined, undefined, lineName)).toEqual([
      {
        label: 'Where',
        before: 'Display tag window',
        after:
          'Display tag window; only while the queue is long (line “Returns” of Oxford Street with at least 5 people waiting)',
      },
    ]);
  });

  it('writes one hour more as the hours before and after', () => {
    const later = { ...live, schedule: { dayparts: [{ ...live.schedule.dayparts[0]!, to: '18:00' }] } };
    const [change, ...rest] = describeChanges(live, later);
    expect(rest).toEqual([]);
    expect(change!.label).toBe('Hours');
    expect(change!.before).toContain('09:00–17:00');
    expect(change!.after).toContain('09:00–18:00');
  });

  it('names added and removed creatives, and priority changes', () => {
    const names = (id: string) => `“${id.toUpperCase()}”`;
    const changes = describeChanges(live, { ...live, priority: 10, creativeIds: ['b', 'c'] }, names);
    expect(changes).toEqual([
      { label: 'Priority', before: '0', after: '10' },
      { label: 'Creatives', before: '2 creatives', after: '2 creatives (adds “C”; removes “A”)' },
    ]);
    expect(describeChanges(live, { ...live, creativeIds: ['b', 'a'] })[0]!.after).toContain('new order');
  });
});

describe(saveOutcome.name, () => {
  it.each([
    ['DRAFT', false, 'in-place'],
    ['IN_REVIEW', false, 'in-place'],
    ['LIVE', false, 'revision'],
    ['PAUSED', false, 'revision'],
    ['APPROVED', false, 'revision'],
    ['LIVE', true, 'auto-approved'],
  ] as const)('an edit of a %s campaign (auto-approved: %s) is saved %s', (status, auto, outcome) => {
    expect(saveOutcome(status, auto)).toBe(outcome);
  });

  it('auto-approves store-local campaigns by the store-local setting only', () => {
    const settings = { autoApprove: false, autoApproveStoreLocal: true };
    expect(autoApproves(settings, { storeId: 's1' })).toBe(true);
    expect(autoApproves(settings, { storeId: null })).toBe(false);
    expect(autoApproves(null, { storeId: 's1' })).toBe(false);
  });
});

describe(describeReach.name, () => {
  it('says playing and outranked, and "would" for a campaign that is not live', () => {
    expect(describeReach({ asIfLive: false, matchingCount: 8, playingCount: 4, outrankedCount: 4 })).toBe(
      '8 displays match; plays now on 4; outranked on 4',
    );
    expect(describeReach({ asIfLive: true, matchingCount: 1, playingCount: 1, outrankedCount: 0 })).toBe(
      '1 display matches; would play now on 1',
    );
    expect(describeReach({ asIfLive: true, matchingCount: 0, playingCount: 0, outrankedCount: 0 })).toBe(
      'No display matches',
    );
  });
});
