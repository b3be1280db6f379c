import { describe, expect, it } from 'vitest';

import { compileCampaigns } from './compile.js';
import { aCampaign, aDisplay, campaignIds } from './fixtures.js';
import { resolvePlaylist } from './resolve.js';
import type { DisplayFacts, Targeting, TargetingRule } from './types.js';

const AT = new Date('2026-06-10T10:00:00Z');
const rule = (kind: TargetingRule['kind'], value: string): TargetingRule => ({ kind, value });
const target = (include: TargetingRule[], exclude: TargetingRule[] = []): Targeting => ({ include, exclude });

/** Facts with one presence moment of the display's store, live for `minutes` after AT (negative: expired). */
const present = (zoneId: string | null, segmentKeys: string[], minutes = 2): Partial<DisplayFacts> => ({
  moments: [
    { momentId: 'm1', source: 'PROXIMITY', zoneId, segmentKeys, expiresAt: new Date(AT.getTime() + minutes * 60_000) },
  ],
});

// The default display: tenant t1, store s1, region r1, zone z1, LANDSCAPE, store tag flagship, display tag window.
const plays = (targeting: Targeting, display: Partial<DisplayFacts> = {}): boolean =>
  resolvePlaylist(aDisplay(display), [aCampaign('A', { targeting })], [], AT).items.length > 0;

describe(resolvePlaylist.name, () => {
  describe('targeting: AND across kinds, OR within a kind, exclude beats include', () => {
    it.each<[string, Targeting, Partial<DisplayFacts>, boolean]>([
      ['no rules targets the whole tenant', target([]), {}, true],
      ['REGION matches', target([rule('REGION', 'r1')]), {}, true],
      ['REGION does not match', target([rule('REGION', 'r2')]), {}, false],
      ['REGION needs a region', target([rule('REGION', 'r1')]), { regionId: null }, false],
      ['two REGION values are alternatives', target([rule('REGION', 'r2'), rule('REGION', 'r1')]), {}, true],
      ['STORE matches', target([rule('STORE', 's1')]), {}, true],
      [
        'STORE_TAG matches any store tag',
        target([rule('STORE_TAG', 'mall')]),
        { storeTags: ['flagship', 'mall'] },
        true,
      ],
      ['DISPLAY matches', target([rule('DISPLAY', 'd1')]), {}, true],
      ['DISPLAY does not match', target([rule('DISPLAY', 'd9')]), {}, false],
      ['DISPLAY_TAG matches', target([rule('DISPLAY_TAG', 'window')]), {}, true],
      ['ORIENTATION PORTRAIT on a landscape display', target([rule('ORIENTATION', 'PORTRAIT')]), {}, false],
      [
        'ORIENTATION PORTRAIT on a portrait display',
        target([rule('ORIENTATION', 'PORTRAIT')]),
        { orientation: 'PORTRAIT' },
        true,
      ],
      ['ZONE matches', target([rule('ZONE', 'z1')]), {}, true],
      ['ZONE needs a zone', target([rule('ZONE', 'z1')]), { zoneId: null }, false],
      ['REGION and DISPLAY_TAG both match', target([rule('REGION', 'r1'), rule('DISPLAY_TAG', 'window')]), {}, true],
      [
        'REGION matches but DISPLAY_TAG does not',
        target([rule('REGION', 'r1'), rule('DISPLAY_TAG', 'till')]),
        {},
        false,
      ],
      [
        'REGION (r2 or r1) and STORE_TAG (mall or flagship)',
        target([rule('REGION', 'r2'), rule('STORE_TAG', 'mall'), rule('REGION', 'r1'), rule('STORE_TAG', 'flagship')]),
        {},
        true,
      ],
      [
        'exclude DISPLAY_TAG beats include REGION',
        target([rule('REGION', 'r1')], [rule('DISPLAY_TAG', 'window')]),
        {},
        false,
      ],
      ['exclude DISPLAY beats include DISPLAY', target([rule('DISPLAY', 'd1')], [rule('DISPLAY', 'd1')]), {}, false],
      [
        'exclude STORE_TAG of another tag keeps it',
        target([rule('REGION', 'r1')], [rule('STORE_TAG', 'outlet')]),
        {},
        true,
      ],
      ['exclude only: the tenant minus the excluded', target([], [rule('STORE', 's1')]), {}, false],
      ['exclude only, not matching', target([], [rule('STORE', 's2')]), {}, true],
      ['any one exclude rule is enough', target([], [rule('ZONE', 'z9'), rule('ORIENTATION', 'LANDSCAPE')]), {}, false],
      ['SEGMENT include without a moment', target([rule('SEGMENT', 'vip')]), {}, false],
      ['SEGMENT include with a vip moment in the zone', target([rule('SEGMENT', 'vip')]), present('z1', ['vip']), true],
      ['SEGMENT include with a store-wide vip moment', target([rule('SEGMENT', 'vip')]), present(null, ['vip']), true],
      [
        'SEGMENT include with a vip moment in another zone',
        target([rule('SEGMENT', 'vip')]),
        present('z2', ['vip']),
        false,
      ],
      ['SEGMENT include with an anonymous moment', target([rule('SEGMENT', 'vip')]), present('z1', []), false],
      [
        'SEGMENT include with an expired vip moment',
        target([rule('SEGMENT', 'vip')]),
        present('z1', ['vip'], -1),
        false,
      ],
      ['PROXIMITY_ZONE include with presence there', target([rule('PROXIMITY_ZONE', 'z2')]), present('z2', []), true],
      ['PROXIMITY_ZONE include without presence', target([rule('PROXIMITY_ZONE', 'z2')]), present('z1', []), false],
      [
        'PROXIMITY_ZONE exclude while the zone has presence',
        target([], [rule('PROXIMITY_ZONE', 'z1')]),
        present('z1', []),
        false,
      ],
      ['PROXIMITY_ZONE exclude without presence', target([], [rule('PROXIMITY_ZONE', 'mist-1')]), {}, true],
      [
        'SEGMENT does not widen a failing REGION',
        target([rule('SEGMENT', 'vip'), rule('REGION', 'r2')]),
        present(null, ['vip']),
        false,
      ],
      [
        'SEGMENT and PROXIMITY_ZONE both needed',
        target([rule('SEGMENT', 'vip'), rule('PROXIMITY_ZONE', 'z1')]),
        present(null, ['vip']),
        false,
      ],
    ])('%s → plays: %s', (_name, targeting, display, expected) => {
      expect(plays(targeting, display)).toBe(expected);
    });

    it('files each campaign under its most selective kind yet finds it through any display value', () => {
      const campaigns = [
        aCampaign('by-tag', { targeting: target([rule('DISPLAY_TAG', 'entrance'), rule('REGION', 'r1')]) }),
        aCampaign('by-store-tag', { targeting: target([rule('STORE_TAG', 'mall')]) }),
        aCampaign('by-orientation', { targeting: target([rule('ORIENTATION', 'LANDSCAPE')]) }),
        aCampaign('elsewhere', { targeting: target([rule('DISPLAY', 'd2')]) }),
      ];
      const display = aDisplay({ displayTags: ['window', 'entrance'], storeTags: ['mall', 'flagship'] });
      expect(campaignIds(resolvePlaylist(display, compileCampaigns(campaigns), [], AT))).toEqual([
        'by-orientation',
        'by-store-tag',
        'by-tag',
      ]);
    });
  });

  describe('presence moments', () => {
    it('ends the playlist at the moment expiry and falls back once it passed', () => {
      const vip = aCampaign('vip', { priority: 10, targeting: target([rule('PROXIMITY_ZONE', 'z1')]) });
      const display = aDisplay(present('z1', [], 2));
      const during = resolvePlaylist(display, [vip, aCampaign('A')], [], AT);
      expect(campaignIds(during)).toEqual(['vip']);
      expect(during.validUntil).toEqual(new Date(AT.getTime() + 120_000));
      const after = resolvePlaylist(display, [vip, aCampaign('A')], [], new Date(AT.getTime() + 120_000));
      expect(campaignIds(after)).toEqual(['A']);
    });
  });

  describe('tenants never mix', () => {
    it.each([
      ['a tenant-wide campaign of another tenant', aCampaign('X', { tenantId: 't2' })],
      ['one naming the display', aCampaign('X', { tenantId: 't2', targeting: target([rule('DISPLAY', 'd1')]) })],
      ['one naming the store', aCampaign('X', { tenantId: 't2', storeId: 's1' })],
      ['one of a higher priority', aCampaign('X', { tenantId: 't2', priority: 100 })],
    ])('%s never plays', (_name, foreign) => {
      const playlist = resolvePlaylist(aDisplay(), [foreign, aCampaign('A')], [], AT);
      expect(campaignIds(playlist)).toEqual(['A']);
    });

    it('gives a display of an unknown tenant an empty playlist', () => {
      expect(resolvePlaylist(aDisplay({ tenantId: 't9' }), [aCampaign('A')], [], AT).items).toEqual([]);
    });
  });

  describe('store-local campaigns and store pauses', () => {
    it.each([
      ['a store-local campaign plays in its store', aCampaign('L', { storeId: 's1' }), {}, true],
      ['but not in another store', aCampaign('L', { storeId: 's1' }), { storeId: 's2' }, false],
      [
        'its include rules narrow the store',
        aCampaign('L', { storeId: 's1', targeting: target([rule('DISPLAY_TAG', 'till')]) }),
        {},
        false,
      ],
      [
        'it cannot reach other stores by rules',
        aCampaign('L', { storeId: 's2', targeting: target([rule('STORE', 's1')]) }),
        {},
        false,
      ],
      ['a store pause stops it in that store', aCampaign('P', { pausedStoreIds: ['s1'] }), {}, false],
      ['but not in other stores', aCampaign('P', { pausedStoreIds: ['s1'] }), { storeId: 's2' }, true],
    ])('%s → plays: %s', (_name, campaign, display, expected) => {
      expect(resolvePlaylist(aDisplay(display), [campaign], [], AT).items.length > 0).toBe(expected);
    });

    it('lets a paused higher priority fall through to the next tier', () => {
      const campaigns = [aCampaign('HQ', { priority: 10, pausedStoreIds: ['s1'] }), aCampaign('B', { priority: 1 })];
      expect(campaignIds(resolvePlaylist(aDisplay(), campaigns, [], AT))).toEqual(['B']);
    });
  });
});
