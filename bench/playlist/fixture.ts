// Deterministic bench data: 3 tenants, 50 stores in 7 time zones, 1,000 displays, 2,000 campaigns with a mix
// of targeting, date ranges, instants, dayparts (some past midnight), priorities, weights, caps and pauses.
import type {
  Campaign,
  CampaignStatus,
  Creative,
  Daypart,
  DisplayFacts,
  Override,
  Schedule,
  TargetingRule,
  Weekday,
} from '../../subgraphs/campaign/src/engine/index.js';

/** Everything one bench run resolves. */
export interface BenchFixture {
  readonly displays: readonly DisplayFacts[];
  readonly campaigns: readonly Campaign[];
  readonly overrides: readonly Override[];
  readonly at: Date;
}

/** Sizes and seed of a fixture. */
export interface FixtureOptions {
  readonly displays?: number;
  readonly campaigns?: number;
  readonly stores?: number;
  readonly seed?: number;
}

// mulberry32: small, fast, good enough for test data.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = [
  ['Europe/London', 'en-GB'],
  ['Europe/Berlin', 'de-DE'],
  ['America/New_York', 'en-US'],
  ['America/Chicago', 'en-US'],
  ['America/Los_Angeles', 'en-US'],
  ['Australia/Sydney', 'en-AU'],
  ['Asia/Tokyo', 'ja-JP'],
] as const;
const STORE_TAGS = ['flagship', 'mall', 'high-street', 'airport', 'outlet', 'late-night', 'pharmacy', 'cafe'];
const DISPLAY_TAGS = ['window', 'entrance', 'checkout', 'aisle', 'menu-board', 'queue', 'kids'];
const WEEK: Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const OTHER_STATUSES: CampaignStatus[] = ['DRAFT', 'IN_REVIEW', 'APPROVED', 'PAUSED', 'ENDED', 'ARCHIVED'];
const DAY = 86_400_000;

/** Builds the same fixture for the same options, every time. */
export function generateFixture(options: FixtureOptions = {}): BenchFixture {
  const { displays: displayCount = 1_000, campaigns: campaignCount = 2_000, stores: storeCount = 50 } = options;
  const rnd = random(options.seed ?? 20_260_610);
  const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rnd() * values.length)]!;
  const some = <T>(values: readonly T[], min: number, max: number): T[] => {
    const pool = [...values];
    const out: T[] = [];
    for (let n = int(min, Math.min(max, pool.length)); n > 0; n--)
      out.push(pool.splice(int(0, pool.length - 1), 1)[0]!);
    return out;
  };
  const weighted = <T>(entries: readonly (readonly [T, number])[]): T => {
    let r = rnd() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [value, w] of entries) if ((r -= w) < 0) return value;
    return entries[entries.length - 1]![0];
  };
  const hhmm = (minutes: number): string =>
    `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

  const at = new Date('2026-06-10T10:30:00Z');
  const tenants = [
    { id: 't1', share: 0.5 },
    { id: 't2', share: 0.3 },
    { id: 't3', share: 0.2 },
  ];

  const stores = Array.from({ length: storeCount }, (_, i) => {
    const tenant = i < storeCount * 0.5 ? 't1' : i < storeCount * 0.8 ? 't2' : 't3';
    const [timezone, locale] = pick(ZONES);
    return {
      id: `s${i}`,
      tenant,
      regionId: `${tenant}-r${int(0, 3)}`,
      timezone,
      locale,
      tags: some(STORE_TAGS, 1, 3),
    };
  });

  const displays: DisplayFacts[] = Array.from({ length: displayCount }, (_, i) => {
    const store = stores[i % storeCount]!;
    return {
      displayId: `${store.id}-d${Math.floor(i / storeCount)}`,
      tenantId: store.tenant,
      storeId: store.id,
      regionId: store.regionId,
      timezone: store.timezone,
      storeTags: store.tags,
      displayTags: some(DISPLAY_TAGS, 1, 2),
      orientation: rnd() < 0.7 ? 'LANDSCAPE' : 'PORTRAIT',
      zoneId: rnd() < 0.8 ? `${store.id}-z${int(0, 3)}` : null,
      locale: rnd() < 0.9 ? store.locale : null,
    };
  });

  const creative = (id: string): Creative => {
    const video = rnd() < 0.4;
    const durationMs = video ? int(15, 30) * 1_000 : int(5, 15) * 1_000;
    const base = {
      id,
      kind: video ? ('VIDEO' as const) : ('IMAGE' as const),
      url: `https://cdn.example.com/${id}.${video ? 'mp4' : 'jpg'}`,
      mimeType: video ? 'video/mp4' : 'image/jpeg',
      durationMs,
      checksum: `sha256-${id}`,
    };
    if (rnd() >= 0.3) return base;
    const variants: Record<string, { url: string; mimeType: string; checksum: string; durationMs?: number }> = {};
    for (const locale of some(['en', 'en-GB', 'de', 'ja', 'fr'], 1, 3)) {
      variants[locale] = {
        url: `${base.url}?locale=${locale}`,
        mimeType: base.mimeType,
        checksum: `${base.checksum}-${locale}`,
      };
    }
    return { ...base, variants };
  };

  const schedule = (): Schedule => {
    const result: { -readonly [K in keyof Schedule]: Schedule[K] } = {};
    if (rnd() < 0.6) {
      const start = at.getTime() + int(-30, 5) * DAY;
      result.startDate = new Date(start).toISOString().slice(0, 10);
      result.endDate = new Date(start + int(3, 60) * DAY).toISOString().slice(0, 10);
    }
    if (rnd() < 0.15) {
      result.startsAt = new Date(at.getTime() - int(0, 10 * 24) * 3_600_000);
      result.endsAt = new Date(at.getTime() + int(1, 10 * 24) * 3_600_000);
    }
    if (rnd() < 0.5) {
      const dayparts: Daypart[] = [];
      for (let n = int(1, 3); n > 0; n--) {
        const days = weighted<Weekday[]>([
          [[], 3],
          [WEEK.slice(0, 5), 3],
          [WEEK.slice(5), 2],
          [some(WEEK, 1, 4), 2],
        ]);
        if (rnd() < 0.1) {
          dayparts.push({ days, from: hhmm(int(20, 23) * 60), to: hhmm(int(1, 3) * 60) });
        } else {
          const from = int(6 * 4, 20 * 4) * 15;
          dayparts.push({ days, from: hhmm(from), to: hhmm(Math.min(from + int(1, 6) * 60, 24 * 60 - 15)) });
        }
      }
      result.dayparts = dayparts;
    }
    return result;
  };

  const storesOf = new Map(tenants.map((t) => [t.id, stores.filter((s) => s.tenant === t.id)]));
  const displaysOf = new Map(tenants.map((t) => [t.id, displays.filter((d) => d.tenantId === t.id)]));
  const campaigns: Campaign[] = Array.from({ length: campaignCount }, (_, i) => {
    const tenant = weighted(tenants.map((t) => [t.id, t.share] as const));
    const tenantStores = storesOf.get(tenant)!;
    const tenantDisplays = displaysOf.get(tenant)!;
    const include: TargetingRule[] = [];
    if (rnd() >= 0.25) {
      const kinds = some(
        [
          'REGION',
          'REGION',
          'STORE_TAG',
          'STORE_TAG',
          'DISPLAY_TAG',
          'DISPLAY_TAG',
          'ORIENTATION',
          'STORE',
          'ZONE',
          'DISPLAY',
        ] as const,
        1,
        3,
      );
      for (const kind of new Set(kinds)) {
        const values =
          kind === 'REGION'
            ? some(
                [0, 1, 2, 3].map((r) => `${tenant}-r${r}`),
                1,
                2,
              )
            : kind === 'STORE_TAG'
              ? some(STORE_TAGS, 1, 2)
              : kind === 'DISPLAY_TAG'
                ? some(DISPLAY_TAGS, 1, 2)
                : kind === 'ORIENTATION'
                  ? [pick(['LANDSCAPE', 'PORTRAIT'])]
                  : kind === 'STORE'
                    ? some(
                        tenantStores.map((s) => s.id),
                        1,
                        3,
                      )
                    : kind === 'ZONE'
                      ? some(
                          tenantStores.map((s) => `${s.id}-z${int(0, 3)}`),
                          1,
                          2,
                        )
                      : some(
                          tenantDisplays.map((d) => d.displayId),
                          1,
                          5,
                        );
        for (const value of values) include.push({ kind, value });
      }
    }
    if (rnd() < 0.05) include.push({ kind: 'SEGMENT', value: pick(['vip', 'new-customer', 'loyalty']) });
    const exclude: TargetingRule[] =
      rnd() < 0.2
        ? [
            pick<TargetingRule>([
              { kind: 'DISPLAY_TAG', value: pick(DISPLAY_TAGS) },
              { kind: 'STORE_TAG', value: pick(STORE_TAGS) },
              { kind: 'STORE', value: pick(tenantStores).id },
            ]),
          ]
        : [];
    return {
      id: `c${String(i).padStart(4, '0')}`,
      tenantId: tenant,
      name: `Campaign ${i}`,
      status: rnd() < 0.65 ? 'LIVE' : pick(OTHER_STATUSES),
      priority: weighted([
        [0, 40],
        [1, 25],
        [2, 15],
        [5, 12],
        [10, 8],
      ]),
      weight: int(1, 4),
      storeId: rnd() < 0.08 ? pick(tenantStores).id : null,
      pausedStoreIds:
        rnd() < 0.1
          ? some(
              tenantStores.map((s) => s.id),
              1,
              3,
            )
          : [],
      creatives: Array.from({ length: int(1, 3) }, (_, k) => creative(`c${i}-k${k}`)),
      schedule: schedule(),
      maxPlaysPerHour: rnd() < 0.1 ? int(10, 120) : null,
      targeting: { include, exclude },
    };
  });

  const overrides: Override[] = displays
    .filter(() => rnd() < 0.01)
    .map((display, i) => {
      const startsAt = at.getTime() + int(-3, 3) * 3_600_000;
      return {
        id: `o${i}`,
        displayId: display.displayId,
        creative: creative(`o${i}`),
        startsAt: new Date(startsAt),
        until: new Date(startsAt + int(1, 4) * 3_600_000),
        createdAt: new Date(startsAt - 3_600_000),
      };
    });

  return { displays, campaigns, overrides, at };
}
