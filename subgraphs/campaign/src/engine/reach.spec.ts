import { describe, expect, it } from 'vitest';
import { aCampaign, aDisplay, anOverride, aTakeover } from './fixtures.js';
import { campaignReach, type CampaignReach } from './reach.js';

const AT = new Date('2030-06-05T10:00:00Z'); // a Wednesday, 11:00 in London
const window1 = aDisplay({ displayId: 'w1', displayTags: ['window'] });
const window2 = aDisplay({ displayId: 'w2', displayTags: ['window'] });
const aisle = aDisplay({ displayId: 'a1', displayTags: ['aisle'] });
const otherStore = aDisplay({ displayId: 'o1', storeId: 's2', displayTags: ['aisle'] });
const fleet = [window1, window2, aisle, otherStore];

function reach(...args: Parameters<typeof campaignReach>): CampaignReach {
  const result = campaignReach(...args);
  if ('problems' in result) throw new Error(result.problems.join('; '));
  return result;
}

describe(campaignReach.name, () => {
  it('separates matching, playing and outranked: a higher priority on the windows takes them', () => {
    const sale = aCampaign('sale', { priority: 0 });
    const windows = aCampaign('windows', {
      priority: 10,
      targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [] },
    });
    const r = reach(sale, fleet, [windows], [], AT);
    expect(r.matching).toEqual(['w1', 'w2', 'a1', 'o1']);
    expect(r.playing).toEqual(['a1', 'o1']);
    expect(r.outranked.map((o) => [o.displayId, o.byCampaignIds])).toEqual([
      ['w1', ['windows']],
      ['w2', ['windows']],
    ]);
    expect(r.notNow).toEqual([]);
  });

  it('plays beside an equal priority (shared voice is not outranked) and above a lower one', () => {
    const sale = aCampaign('sale', { priority: 5 });
    const peer = aCampaign('peer', { priority: 5 });
    const low = aCampaign('low', { priority: 1 });
    const r = reach(sale, [aisle], [peer, low], [], AT);
    expect(r.playing).toEqual(['a1']);
    expect(r.outranked).toEqual([]);
  });

  it('counts a display outside the schedule or paused for its store as neither playing nor outranked', () => {
    const evening = aCampaign('evening', {
      schedule: { dayparts: [{ days: [], from: '18:00', to: '22:00' }] },
    });
    expect(reach(evening, [aisle], [], [], AT)).toMatchObject({ matching: ['a1'], playing: [], notNow: ['a1'] });
    const paused = aCampaign('paused', { pausedStoreIds: ['s2'] });
    expect(reach(paused, [aisle, otherStore], [], [], AT)).toMatchObject({ playing: ['a1'], notNow: ['o1'] });
  });

  it('names the override or takeover that owns a screen', () => {
    const sale = aCampaign('sale');
    const override = anOverride('ov', '2030-06-05T09:00:00Z', '2030-06-05T12:00:00Z', '2030-06-05T09:00:00Z');
    const r = reach(sale, [window1], [], [{ ...override, displayId: 'w1' }], AT);
    expect(r.outranked).toEqual([{ displayId: 'w1', byCampaignIds: [], byOverrideId: 'ov', byTakeoverId: null }]);
    const t = reach(sale, [window1, otherStore], [], [aTakeover('tk', '2030-06-05T08:00:00Z')], AT);
    expect(t.outranked.map((o) => [o.displayId, o.byTakeoverId])).toEqual([['w1', 'tk']]);
    expect(t.playing).toEqual(['o1']);
  });

  it('replaces its own live version: an edited priority is judged against the others only', () => {
    const live = aCampaign('sale', { priority: 0 });
    const windows = aCampaign('windows', {
      priority: 10,
      targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [] },
    });
    const edited = { ...live, priority: 20, status: 'DRAFT' as const, creatives: [] };
    const r = reach(edited, [window1, aisle], [live, windows], [], AT);
    expect(r.playing).toEqual(['w1', 'a1']);
    expect(r.outranked).toEqual([]);
  });

  it('keeps a store-local campaign to its store and reports invalid targeting as problems', () => {
    const local = aCampaign('local', { storeId: 's2' });
    expect(reach(local, fleet, [], [], AT).matching).toEqual(['o1']);
    const bad = aCampaign('bad', { targeting: { include: [{ kind: 'ORIENTATION', value: 'SIDEWAYS' }], exclude: [] } });
    expect(campaignReach(bad, fleet, [], [], AT)).toHaveProperty('problems');
  });
});
