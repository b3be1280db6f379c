import { randomUUID } from 'node:crypto';
import { DEMO_TENANT_ID } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAMPAIGN_A,
  CAMPAIGN_B,
  CREATIVE_X,
  CREATIVE_Y,
  DISPLAY_1,
  DISPLAY_2,
  play,
  STORE_1,
  STORE_2,
  startPlayback,
  type PlaybackHarness,
} from '../../testing/harness.js';
import { deriveReportRollups } from '../../migrations/1764000000410-playback-report-rollups.js';
import { ReportService, yearMasks } from './report.service.js';

const REPORT = `query($f: PlaybackReportFilter!) {
  playbackReport(filter: $f) { rows { day campaignId creativeId storeId plays playTimeMs displays } totals { plays playTimeMs displays } }
}`;
const DIMS = ['DAY', 'CAMPAIGN', 'CREATIVE', 'STORE'] as const;
type Dim = (typeof DIMS)[number];
const COLUMN: Record<Dim, string> = { DAY: 'day', CAMPAIGN: 'campaignId', CREATIVE: 'creativeId', STORE: 'storeId' };
const SQL: Record<Dim, string> = {
  DAY: `to_char("day", 'YYYY-MM-DD')`,
  CAMPAIGN: '"campaign_id"',
  CREATIVE: '"creative_id"',
  STORE: '"store_id"',
};
interface Row {
  day: string | null;
  campaignId: string | null;
  creativeId: string | null;
  storeId: string | null;
  plays: number;
  playTimeMs: number;
  displays: number;
}

/** A small seeded generator, so a failure can be replayed. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`${ReportService.name} rollups`, () => {
  let h: PlaybackHarness;
  const displays: { id: string; store: string }[] = [
    { id: DISPLAY_1, store: STORE_1 },
    { id: DISPLAY_2, store: STORE_2 },
  ];

  beforeAll(async () => {
    h = await startPlayback();
    // Stores in zones far from UTC, so a store's day differs from the UTC day around midnight.
    await h.publishStore(STORE_1, DEMO_TENANT_ID, 'America/New_York');
    await h.publishStore(STORE_2, DEMO_TENANT_ID, 'Asia/Tokyo');
    for (let i = 0; i < 6; i++) {
      const id = `00000000-0000-4000-8000-00000000e0${String(i).padStart(2, '0')}`;
      const store = i % 2 ? STORE_2 : STORE_1;
      displays.push({ id, store });
      await h.publishDisplay(id, DEMO_TENANT_ID, store);
    }
    await waitFor(async () => (await h.count('known_display')) === 9 && (await h.count('known_store')) === 2);

    // 600 plays over 2029-12-20 … 2030-01-12 (across a new year), from 8 displays, of two campaigns and
    // display overrides (no campaign), each campaign showing either creative.
    const random = mulberry32(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const start = Date.parse('2029-12-20T00:00:00Z');
    const plays = Array.from({ length: 600 }, () => {
      const startedAt = start + Math.floor(random() * 24 * 86_400_000);
      const durationMs = 1_000 + Math.floor(random() * 20_000);
      return play({
        displayId: pick(displays).id,
        campaignId: pick([CAMPAIGN_A, CAMPAIGN_B, null]),
        creativeId: pick([CREATIVE_X, CREATIVE_Y]),
        startedAt: new Date(startedAt).toISOString(),
        endedAt: new Date(startedAt + durationMs).toISOString(),
        durationMs,
      });
    });
    const admin = await h.token('hqAdmin');
    for (let i = 0; i < plays.length; i += 100) {
      const res = await h.gql<{ recordPlayback: { accepted: number } }>(
        `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`,
        { i: { plays: plays.slice(i, i + 100) } },
        admin,
      );
      expect(res.data?.recordPlayback.accepted).toBe(100);
    }
    // A retried batch counts nothing twice.
    await h.gql(
      `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { duplicates } }`,
      { i: { plays: plays.slice(0, 100) } },
      admin,
    );
    await waitFor(async () => (await h.count('play')) === 600, { timeoutMs: 20_000 });
  }, 60_000);
  afterAll(async () => h?.stop());

  /** The truth, from raw plays: store-local days, each display counted once per group (overrides first). */
  async function truth(f: Record<string, string | undefined>, groupBy: Dim[]): Promise<{ rows: Row[]; totals: Row }> {
    const dims = DIMS.filter((d) => groupBy.includes(d));
    const params: unknown[] = [f.from, f.to];
    const where = [`"day" BETWEEN $1::date AND $2::date`];
    if (f.campaignId) where.push(`"campaign_id" = $${params.push(f.campaignId)}`);
    if (f.creativeId) where.push(`"creative_id" = $${params.push(f.creativeId)}`);
    if (f.storeId) where.push(`"store_id" = $${params.push(f.storeId)}`);
    const from = `FROM (SELECT p.*, (p."started_at" AT TIME ZONE s."timezone")::date AS "day"
      FROM "playback"."play" p JOIN "playback"."known_store" s ON s."id" = p."store_id") x WHERE ${where.join(' AND ')}`;
    const metrics = `count(*)::int AS "plays", COALESCE(sum("duration_ms"), 0)::int AS "playTimeMs", count(DISTINCT "display_id")::int AS "displays"`;
    const select = [...dims.map((d) => `${SQL[d]} AS "${COLUMN[d]}"`), metrics].join(', ');
    const order = dims.length
      ? `GROUP BY ${dims.map((_, i) => i + 1).join(', ')} ORDER BY ${dims.map((_, i) => `${i + 1} NULLS FIRST`).join(', ')}`
      : '';
    const rows = (await h.db.query(`SELECT ${select} ${from} ${order}`, params)).rows as Row[];
    const [totals] = (await h.db.query(`SELECT ${metrics} ${from}`, params)).rows as Row[];
    const full = (r: Partial<Row>): Row =>
      ({ day: null, campaignId: null, creativeId: null, storeId: null, ...r }) as Row;
    return { rows: rows.map(full), totals: totals! };
  }

  const subsets = (xs: readonly Dim[]): Dim[][] =>
    xs.reduce<Dim[][]>((acc, x) => [...acc, ...acc.map((s) => [...s, x])], [[]]);

  it('matches the raw plays for every grouping, filter and range (store-local days, once per display)', async () => {
    const token = await h.token('hqAdmin');
    const filters = [
      {},
      { campaignId: CAMPAIGN_A },
      { storeId: STORE_2 },
      { creativeId: CREATIVE_Y, campaignId: CAMPAIGN_B },
    ];
    const ranges = [
      { from: '2029-12-18', to: '2030-01-14' }, // everything, across the new year
      { from: '2029-12-30', to: '2030-01-02' }, // a few days either side of it
      { from: '2030-01-05', to: '2030-01-05' }, // one day
    ];
    let compared = 0;
    for (const groupBy of subsets(DIMS)) {
      for (const filter of filters) {
        for (const range of ranges) {
          const f = { ...range, ...filter };
          const res = await h.gql<{ playbackReport: { rows: Row[]; totals: Row } }>(
            REPORT,
            { f: { ...f, groupBy } },
            token,
          );
          expect(res.errors, JSON.stringify({ f, groupBy })).toBeUndefined();
          const want = await truth(f, groupBy);
          const { totals, rows } = res.data!.playbackReport;
          expect({ f, groupBy, rows }).toEqual({ f, groupBy, rows: want.rows });
          expect({ f, groupBy, totals }).toEqual({ f, groupBy, totals: { ...want.totals } });
          compared++;
        }
      }
    }
    expect(compared).toBe(16 * 4 * 3);
  });

  it('keeps the same rollups batch by batch as the migration derives from play_rollup in one go', async () => {
    const tables = [
      'play_daily',
      'display_campaign_day',
      'campaign_daily',
      'display_creative_day',
      'creative_daily',
      'display_day',
      'store_daily',
      'play_reach',
    ];
    const dump = async () => {
      const out: Record<string, string[]> = {};
      for (const t of tables) {
        const rows = (await h.db.query(`SELECT * FROM "playback"."${t}"`)).rows as Record<string, unknown>[];
        out[t] = rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
      }
      return out;
    };
    const kept = await dump();
    expect(kept['play_daily']!.length).toBeGreaterThan(0);
    await h.db.query(`TRUNCATE ${tables.map((t) => `"playback"."${t}"`).join(', ')}`);
    await deriveReportRollups((sql) => h.db.query(sql), '"playback"');
    expect(await dump()).toEqual(kept);
  });

  it('reports override plays (no campaign) under a null campaign', async () => {
    const res = await h.gql<{ playbackReport: { rows: Row[] } }>(
      REPORT,
      { f: { from: '2029-12-18', to: '2030-01-14', groupBy: ['CAMPAIGN'] } },
      await h.token('hqAdmin'),
    );
    const overrides = (await h.db.query(`SELECT count(*)::int AS n FROM "playback"."play" WHERE "campaign_id" IS NULL`))
      .rows[0] as { n: number };
    expect(overrides.n).toBeGreaterThan(0);
    expect(res.data!.playbackReport.rows.find((r) => r.campaignId === null)?.plays).toBe(overrides.n);
  });

  it('counts a play in its store’s day, not the UTC day', async () => {
    // 03:00 UTC on 1 Feb is still 31 Jan in New York (STORE_1) and already 1 Feb in Tokyo (STORE_2).
    const admin = await h.token('hqAdmin');
    const startedAt = '2030-02-01T03:00:00.000Z';
    const endedAt = '2030-02-01T03:00:10.000Z';
    const campaignId = randomUUID();
    await h.gql(
      `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`,
      {
        i: {
          plays: [
            play({ displayId: DISPLAY_1, campaignId, startedAt, endedAt }),
            play({ displayId: DISPLAY_2, campaignId, startedAt, endedAt }),
          ],
        },
      },
      admin,
    );
    await waitFor(async () => (await h.count('play', `campaign_id = '${campaignId}'`)) === 2);
    const res = await h.gql<{ playbackReport: { rows: Row[] } }>(
      REPORT,
      { f: { from: '2030-01-30', to: '2030-02-02', campaignId, groupBy: ['STORE', 'DAY'] } },
      admin,
    );
    expect(res.data!.playbackReport.rows.map((r) => [r.storeId, r.day])).toEqual(
      [
        [STORE_1, '2030-01-31'],
        [STORE_2, '2030-02-01'],
      ].sort((a, b) => a[1]!.localeCompare(b[1]!)),
    );
  });
});

describe(yearMasks.name, () => {
  it('marks the days of the range in each year it touches', () => {
    const [y2029, y2030] = yearMasks('2029-12-30', '2030-01-02');
    expect(y2029!.year).toBe(2029);
    expect(y2029!.mask.length).toBe(366);
    expect(y2029!.mask.indexOf('1')).toBe(363); // 30 Dec is day 364 of 2029
    expect(y2029!.mask.lastIndexOf('1')).toBe(364);
    expect(y2030).toEqual({ year: 2030, mask: '11' + '0'.repeat(364) });
    // A leap year's 31 Dec is its 366th day.
    expect(yearMasks('2028-12-31', '2028-12-31')).toEqual([{ year: 2028, mask: '0'.repeat(365) + '1' }]);
  });
});
