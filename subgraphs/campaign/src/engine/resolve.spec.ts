import { describe, expect, it } from 'vitest';

import { compileCampaigns, validateCampaign } from './compile.js';
import { PlaylistEngineError } from './errors.js';
import { aCampaign, aCreative, aDisplay, anOverride, aTakeover, campaignIds, creativeIds } from './fixtures.js';
import { nextBoundary, resolvePlaylist } from './resolve.js';
import { playlistVersion } from './version.js';
import type { Campaign, CampaignStatus, Creative, DisplayFacts } from './types.js';

const AT = new Date('2026-06-10T10:00:00Z'); // Wednesday, 11:00 in London
const resolve = (campaigns: readonly Campaign[], display: DisplayFacts = aDisplay(), at = AT) =>
  resolvePlaylist(display, campaigns, [], at);

describe(resolvePlaylist.name, () => {
  describe('status', () => {
    it.each<[CampaignStatus, boolean]>([
      ['DRAFT', false],
      ['IN_REVIEW', false],
      ['APPROVED', false],
      ['LIVE', true],
      ['PAUSED', false],
      ['ENDED', false],
      ['ARCHIVED', false],
    ])('%s → plays: %s', (status, expected) => {
      expect(resolve([aCampaign('A', { status })]).items.length > 0).toBe(expected);
    });
  });

  describe('priority tiers', () => {
    it.each([
      ['the highest priority wins alone', [aCampaign('A', { priority: 10 }), aCampaign('B', { priority: 5 })], ['A']],
      [
        'equal top priorities share',
        [aCampaign('A', { priority: 5 }), aCampaign('B', { priority: 5 }), aCampaign('C', { priority: 1 })],
        ['A', 'B'],
      ],
      [
        'negative priorities rank below zero',
        [aCampaign('A', { priority: -1 }), aCampaign('B', { priority: 0 })],
        ['B'],
      ],
      [
        'an ineligible higher priority does not block lower ones',
        [
          aCampaign('A', { priority: 10, schedule: { dayparts: [{ days: ['SAT'], from: '00:00', to: '24:00' }] } }),
          aCampaign('B', { priority: 5 }),
        ],
        ['B'],
      ],
      ['nothing eligible gives an empty loop', [aCampaign('A', { status: 'PAUSED' })], []],
    ])('%s', (_name, campaigns, expected) => {
      expect(campaignIds(resolve(campaigns))).toEqual(expected);
    });
  });

  describe('weights: smooth weighted round-robin, each turn plays the campaign creatives in order', () => {
    it.each([
      ['2:1', [aCampaign('A', { weight: 2 }), aCampaign('B')], ['A', 'B', 'A']],
      ['1:2', [aCampaign('A'), aCampaign('B', { weight: 2 })], ['B', 'A', 'B']],
      ['1:1:1', [aCampaign('A'), aCampaign('B'), aCampaign('C')], ['A', 'B', 'C']],
      ['3:2', [aCampaign('A', { weight: 3 }), aCampaign('B', { weight: 2 })], ['A', 'B', 'A', 'B', 'A']],
      ['4:2 reduces to 2:1', [aCampaign('A', { weight: 4 }), aCampaign('B', { weight: 2 })], ['A', 'B', 'A']],
      ['1:3', [aCampaign('A'), aCampaign('B', { weight: 3 })], ['B', 'A', 'B', 'B']],
    ])('%s', (_name, campaigns, expected) => {
      expect(campaignIds(resolve(campaigns))).toEqual(expected);
    });

    it('plays a multi-creative campaign whole on each turn', () => {
      const a = aCampaign('A', { weight: 2, creatives: [aCreative('a1'), aCreative('a2')] });
      expect(creativeIds(resolve([a, aCampaign('B')]))).toEqual(['a1', 'a2', 'B1', 'a1', 'a2']);
    });

    it.each([[['A', 'B', 'C']], [['C', 'B', 'A']], [['B', 'C', 'A']]])(
      'orders a tier by campaign id whatever the input order (%j)',
      (order) => {
        const byId: Record<string, Campaign> = {
          A: aCampaign('A', { weight: 2 }),
          B: aCampaign('B', { weight: 1 }),
          C: aCampaign('C', { weight: 1 }),
        };
        const playlist = resolve(order.map((id) => byId[id]!));
        expect(campaignIds(playlist)).toEqual(['A', 'B', 'C', 'A']);
        expect(playlist.version).toBe(resolve([byId.A!, byId.B!, byId.C!]).version);
      },
    );

    it('scales a huge cycle down to at most 1,000 turns', () => {
      const playlist = resolve([aCampaign('A', { weight: 99_999 }), aCampaign('B', { weight: 2 })]);
      expect(playlist.items.length).toBeLessThanOrEqual(1_000);
      expect(campaignIds(playlist).filter((id) => id === 'B')).toHaveLength(1);
    });
  });

  describe('maxPlaysPerHour: plays × 3,600,000 / loop duration ≤ cap (10 s creatives)', () => {
    it.each([
      ['within the cap nothing changes', [aCampaign('A', { maxPlaysPerHour: 400 }), aCampaign('B')], ['A', 'B']],
      [
        'turns are dropped until the cap holds (3 → 1 turn: 180/h ≤ 200)',
        [aCampaign('A', { weight: 3, maxPlaysPerHour: 200 }), aCampaign('B')],
        ['A', 'B'],
      ],
      [
        'only as many turns as needed are dropped (3 → 2 turns: 240/h ≤ 250)',
        [aCampaign('A', { weight: 3, maxPlaysPerHour: 250 }), aCampaign('B')],
        ['A', 'B', 'A'],
      ],
      [
        'uncapped campaigns repeat to dilute a last turn (A at 90/h ≤ 100)',
        [aCampaign('A', { maxPlaysPerHour: 100 }), aCampaign('B')],
        ['B', 'A', 'B', 'B'],
      ],
      ['a cap that cannot be met keeps one turn', [aCampaign('A', { maxPlaysPerHour: 10 })], ['A']],
      [
        // 3:3:2 → A 135/h > 100, B 135/h > 130; A, B, A, B each lose a turn in turn; 1:1:2 gives 90/h each.
        'two capped campaigns drop turns worst-first',
        [
          aCampaign('A', { weight: 3, maxPlaysPerHour: 100 }),
          aCampaign('B', { weight: 3, maxPlaysPerHour: 130 }),
          aCampaign('C', { weight: 2 }),
        ],
        ['C', 'A', 'B', 'C'],
      ],
    ])('%s', (_name, campaigns, expected) => {
      const playlist = resolve(campaigns);
      expect(campaignIds(playlist)).toEqual(expected);
      const loopMs = playlist.items.reduce((s, item) => s + item.durationMs, 0);
      for (const campaign of campaigns.filter((c) => c.maxPlaysPerHour != null && campaigns.length > 1)) {
        const plays = playlist.items.filter((item) => item.campaignId === campaign.id).length;
        expect((plays * 3_600_000) / loopMs).toBeLessThanOrEqual(campaign.maxPlaysPerHour!);
      }
    });
  });

  describe('store takeovers', () => {
    const campaigns = [aCampaign('A', { priority: 100 })];
    const override = anOverride('o1', '2026-06-10T09:00:00Z', '2026-06-10T13:00:00Z', '2026-06-10T09:30:00Z');
    it.each([
      ['an active takeover is the whole playlist', [aTakeover('t1', '2026-06-10T09:00:00Z')], ['t1-creative'], null],
      [
        'it ranks above an override of the display, even one created later',
        [override, aTakeover('t1', '2026-06-10T09:00:00Z')],
        ['t1-creative'],
        null,
      ],
      [
        'it reaches any display of its store (one the takeover never named)',
        [aTakeover('t1', '2026-06-10T09:00:00Z')],
        ['t1-creative'],
        null,
        aDisplay({ displayId: 'd-added-later' }),
      ],
      [
        'a takeover of another store is ignored',
        [aTakeover('t1', '2026-06-10T09:00:00Z', '2026-06-10T09:00:00Z', 's2')],
        ['A1'],
        null,
      ],
      [
        'a takeover starting later bounds the playlist, and the override plays until then',
        [override, aTakeover('t1', '2026-06-10T11:00:00Z')],
        ['o1-creative'],
        '2026-06-10T11:00:00.000Z',
      ],
      [
        'the latest-created of two active takeovers wins',
        [aTakeover('t-old', '2026-06-10T08:00:00Z'), aTakeover('t-new', '2026-06-10T09:00:00Z')],
        ['t-new-creative'],
        null,
      ],
    ])('%s', (_name, interruptions, expected, validUntil, display = aDisplay()) => {
      const playlist = resolvePlaylist(display, campaigns, interruptions, AT);
      expect(creativeIds(playlist)).toEqual(expected);
      expect(playlist.validUntil?.toISOString() ?? null).toBe(validUntil);
    });

    it('marks the item with the takeover, no campaign and no override, and a version of its own', () => {
      const playlist = resolvePlaylist(aDisplay(), campaigns, [aTakeover('t1', '2026-06-10T09:00:00Z')], AT);
      expect(playlist.items).toEqual([
        expect.objectContaining({ takeoverId: 't1', campaignId: null, overrideId: null, validUntil: null }),
      ]);
      // The same creative as an override's would be another version: players must tell them apart.
      const asOverride = resolvePlaylist(
        aDisplay(),
        campaigns,
        [{ ...override, creative: aCreative('t1-creative') }],
        AT,
      );
      expect(asOverride.items[0]!.creativeId).toBe('t1-creative');
      expect(playlist.version).not.toBe(asOverride.version);
    });

    it('keeps the versions of playlists without a takeover', () => {
      const items = [{ ...resolve(campaigns).items[0]! }];
      expect(playlistVersion(items)).toBe(playlistVersion([{ ...items[0]!, takeoverId: null }]));
    });

    it('makes a takeover start a boundary of every display of its store', () => {
      const at = new Date('2026-06-10T10:00:00Z');
      const later = [aTakeover('t1', '2026-06-10T10:30:00Z')];
      expect(nextBoundary(aDisplay({ displayId: 'd9' }), campaigns, later, at)?.toISOString()).toBe(
        '2026-06-10T10:30:00.000Z',
      );
      expect(nextBoundary(aDisplay({ storeId: 's2' }), campaigns, later, at)).toBeNull();
    });
  });

  describe('overrides', () => {
    const campaigns = [aCampaign('A')];
    it.each([
      [
        'an active override is the whole playlist',
        [anOverride('o1', '2026-06-10T09:00:00Z', '2026-06-10T13:00:00Z', '2026-06-10T08:00:00Z')],
        ['o1-creative'],
        '2026-06-10T13:00:00.000Z',
      ],
      [
        'an expired override is ignored',
        [anOverride('o1', '2026-06-10T08:00:00Z', '2026-06-10T09:00:00Z', '2026-06-10T07:00:00Z')],
        ['A1'],
        null,
      ],
      [
        'an override ending exactly now has ended',
        [anOverride('o1', '2026-06-10T08:00:00Z', '2026-06-10T10:00:00Z', '2026-06-10T07:00:00Z')],
        ['A1'],
        null,
      ],
      [
        'an override starting exactly now is active',
        [anOverride('o1', '2026-06-10T10:00:00Z', '2026-06-10T11:00:00Z', '2026-06-10T07:00:00Z')],
        ['o1-creative'],
        '2026-06-10T11:00:00.000Z',
      ],
      [
        'a later override bounds the playlist',
        [anOverride('o1', '2026-06-10T12:00:00Z', '2026-06-10T13:00:00Z', '2026-06-10T07:00:00Z')],
        ['A1'],
        '2026-06-10T12:00:00.000Z',
      ],
      [
        'the latest-created active override wins',
        [
          anOverride('o-new', '2026-06-10T09:30:00Z', '2026-06-10T11:00:00Z', '2026-06-10T09:00:00Z'),
          anOverride('o-old', '2026-06-10T09:00:00Z', '2026-06-10T14:00:00Z', '2026-06-10T08:00:00Z'),
        ],
        ['o-new-creative'],
        '2026-06-10T11:00:00.000Z',
      ],
      [
        'overrides of other displays are ignored',
        [
          {
            ...anOverride('o1', '2026-06-10T09:00:00Z', '2026-06-10T13:00:00Z', '2026-06-10T08:00:00Z'),
            displayId: 'd2',
          },
        ],
        ['A1'],
        null,
      ],
    ])('%s', (_name, overrides, expected, validUntil) => {
      const playlist = resolvePlaylist(aDisplay(), campaigns, overrides, AT);
      expect(creativeIds(playlist)).toEqual(expected);
      expect(playlist.validUntil?.toISOString() ?? null).toBe(validUntil);
    });

    it('marks override items and keeps the campaign it came from', () => {
      const override = {
        ...anOverride('o1', '2026-06-10T09:00:00Z', '2026-06-10T13:00:00Z', '2026-06-10T08:00:00Z'),
        campaignId: 'A',
      };
      const [item] = resolvePlaylist(aDisplay(), campaigns, [override], AT).items;
      expect(item).toMatchObject({ overrideId: 'o1', campaignId: 'A', creativeId: 'o1-creative' });
      expect(item?.validUntil?.toISOString()).toBe('2026-06-10T13:00:00.000Z');
    });
  });

  describe('validUntil', () => {
    it.each([
      [
        'the end of the playing campaign',
        [aCampaign('A', { schedule: { endsAt: new Date('2026-06-10T15:00:00Z') } })],
        '2026-06-10T15:00:00.000Z',
      ],
      [
        'the end of its daypart (17:00 BST)',
        [aCampaign('A', { schedule: { dayparts: [{ days: [], from: '09:00', to: '17:00' }] } })],
        '2026-06-10T16:00:00.000Z',
      ],
      [
        'the end of its date range (local midnight)',
        [aCampaign('A', { schedule: { endDate: '2026-06-12' } })],
        '2026-06-12T23:00:00.000Z',
      ],
      [
        'the start of a higher priority',
        [aCampaign('A'), aCampaign('H', { priority: 9, schedule: { startsAt: new Date('2026-06-10T12:00:00Z') } })],
        '2026-06-10T12:00:00.000Z',
      ],
      [
        'not a lower priority, which cannot play before the top tier ends',
        [
          aCampaign('A', { priority: 9, schedule: { endsAt: new Date('2026-06-10T18:00:00Z') } }),
          aCampaign('L', { schedule: { startsAt: new Date('2026-06-10T12:00:00Z') } }),
        ],
        '2026-06-10T18:00:00.000Z',
      ],
      ['null when nothing will change', [aCampaign('A')], null],
      [
        'null for an empty playlist with no future',
        [aCampaign('A', { schedule: { endsAt: new Date('2026-06-01T00:00:00Z') } })],
        null,
      ],
    ])('is %s', (_name, campaigns, expected) => {
      expect(resolve(campaigns).validUntil?.toISOString() ?? null).toBe(expected);
    });

    it("gives each item its own campaign's next boundary", () => {
      const campaigns = [
        aCampaign('A', { schedule: { endsAt: new Date('2026-06-10T15:00:00Z') } }),
        aCampaign('B', { schedule: { endsAt: new Date('2026-06-10T12:00:00Z') } }),
      ];
      const playlist = resolve(campaigns);
      expect(playlist.items.map((item) => [item.campaignId, item.validUntil?.toISOString()])).toEqual([
        ['A', '2026-06-10T15:00:00.000Z'],
        ['B', '2026-06-10T12:00:00.000Z'],
      ]);
      expect(playlist.validUntil?.toISOString()).toBe('2026-06-10T12:00:00.000Z');
    });
  });

  describe('version', () => {
    const base = [
      aCampaign('A', { weight: 2 }),
      aCampaign('B', { schedule: { dayparts: [{ days: [], from: '09:00', to: '17:00' }] } }),
    ];
    const version = (campaigns: readonly Campaign[], at = AT) => resolve(campaigns, aDisplay(), at).version;

    it('is a 20-character hex digest, the same for the same input', () => {
      expect(version(base)).toMatch(/^[0-9a-f]{20}$/);
      expect(version(base)).toBe(version([...base]));
      expect(version(base)).toBe(resolvePlaylist(aDisplay(), compileCampaigns(base), [], AT).version);
    });

    it('does not change when only validUntil moves', () => {
      const today = resolve(base);
      const tomorrow = resolve(base, aDisplay(), new Date('2026-06-11T10:00:00Z'));
      expect(tomorrow.validUntil).not.toEqual(today.validUntil);
      expect(tomorrow.version).toBe(today.version);
      const bounded = [
        base[0]!,
        { ...base[1]!, schedule: { ...base[1]!.schedule, endsAt: new Date('2026-06-10T11:00:00Z') } },
      ];
      expect(resolve(bounded).validUntil?.toISOString()).toBe('2026-06-10T11:00:00.000Z');
      expect(resolve(bounded).version).toBe(today.version);
    });

    const changed = (creative: Partial<Creative>): Campaign[] => [
      { ...base[0]!, creatives: [aCreative('A1', creative)] },
      base[1]!,
    ];
    it.each([
      ['a checksum', changed({ checksum: 'sha256-other' })],
      ['a url', changed({ url: 'https://cdn.example.com/other.png' })],
      ['a duration', changed({ durationMs: 15_000 })],
      ['a mime type', changed({ mimeType: 'image/webp' })],
      [
        'the order (weights)',
        [
          { ...base[0]!, weight: 1 },
          { ...base[1]!, weight: 2 },
        ],
      ],
      ['an added creative', [{ ...base[0]!, creatives: [aCreative('A1'), aCreative('A2')] }, base[1]!]],
      ['a campaign leaving the loop', [base[0]!]],
    ])('changes with %s', (_name, campaigns) => {
      expect(version(campaigns)).not.toBe(version(base));
    });

    it('changes when the daypart closes, and is back when it reopens', () => {
      const during = version(base);
      const after = version(base, new Date('2026-06-10T17:00:00Z'));
      expect(after).not.toBe(during);
      expect(version(base, new Date('2026-06-11T08:00:00Z'))).toBe(during);
    });
  });

  describe('locale variants: the locale, then its language, then the default', () => {
    const creative = aCreative('c', {
      durationMs: 10_000,
      variants: {
        'en-GB': { url: 'https://cdn.example.com/c.en-GB.png', mimeType: 'image/png', checksum: 'gb' },
        en: { url: 'https://cdn.example.com/c.en.png', mimeType: 'image/png', checksum: 'en', durationMs: 12_000 },
        fr: { url: 'https://cdn.example.com/c.fr.mp4', mimeType: 'video/mp4', checksum: 'fr', durationMs: 20_000 },
      },
    });
    it.each([
      ['en-GB', 'gb', 10_000],
      ['en-US', 'en', 12_000],
      ['fr-CA', 'fr', 20_000],
      ['en_gb', 'gb', 10_000],
      ['EN', 'en', 12_000],
      ['de-DE', 'sha256-c', 10_000],
      [null, 'sha256-c', 10_000],
    ])('%s → %s', (locale, checksum, durationMs) => {
      const [item] = resolve([aCampaign('A', { creatives: [creative] })], aDisplay({ locale })).items;
      expect(item).toMatchObject({ checksum, durationMs });
    });
  });

  describe('bad input', () => {
    it.each([
      ['weight 0', { weight: 0 }, /weight/],
      ['weight 1.5', { weight: 1.5 }, /weight/],
      ['priority 2.5', { priority: 2.5 }, /priority/],
      ['maxPlaysPerHour 0', { maxPlaysPerHour: 0 }, /maxPlaysPerHour/],
      ['a bad date', { schedule: { startDate: '2026-02-30' } }, /startDate/],
      [
        'endDate before startDate',
        { schedule: { startDate: '2026-06-02', endDate: '2026-06-01' } },
        /before startDate/,
      ],
      [
        'endsAt not after startsAt',
        { schedule: { startsAt: new Date('2026-06-02T00:00:00Z'), endsAt: new Date('2026-06-02T00:00:00Z') } },
        /endsAt/,
      ],
      [
        'a bad daypart time',
        { schedule: { dayparts: [{ days: ['MON' as const], from: '9:00', to: '17:00' }] } },
        /dayparts\[0\]\.from/,
      ],
      [
        'a bad day',
        { schedule: { dayparts: [{ days: ['MONDAY' as never], from: '09:00', to: '17:00' }] } },
        /dayparts\[0\]\.days/,
      ],
      ['a zero duration', { creatives: [aCreative('c', { durationMs: 0 })] }, /durationMs/],
      [
        'an unknown orientation',
        { targeting: { include: [{ kind: 'ORIENTATION' as const, value: 'SIDEWAYS' }], exclude: [] } },
        /orientation/,
      ],
    ])('reports %s and leaves the campaign out', (_name, change, problem) => {
      const bad = aCampaign('bad', change as Partial<Campaign>);
      expect(validateCampaign(bad).join('; ')).toMatch(problem);
      const index = compileCampaigns([bad, aCampaign('good')]);
      expect(index.rejected.map((r) => r.campaignId)).toEqual(['bad']);
      expect(campaignIds(resolvePlaylist(aDisplay(), index, [], AT))).toEqual(['good']);
    });

    it('accepts a valid campaign', () => {
      expect(validateCampaign(aCampaign('A'))).toEqual([]);
    });

    it.each([
      ['an unknown time zone', aDisplay({ timezone: 'Mars/Olympus' }), AT, 'INVALID_DISPLAY'],
      ['an empty store id', aDisplay({ storeId: '' }), AT, 'INVALID_DISPLAY'],
      ['an invalid instant', aDisplay(), new Date(Number.NaN), 'INVALID_INSTANT'],
    ])('refuses %s', (_name, display, at, reason) => {
      const attempt = () => resolvePlaylist(display, [aCampaign('A')], [], at);
      expect(attempt).toThrow(PlaylistEngineError);
      expect(attempt).toThrow(expect.objectContaining({ reason, code: 'BAD_USER_INPUT' }));
    });
  });
});
