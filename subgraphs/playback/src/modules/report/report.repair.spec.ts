import { createLogger, DEMO_TENANT_ID, openDatabase } from '@phub/kit';
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
  T0,
  type PlaybackHarness,
} from '../../testing/harness.js';
import { playbackEntities, playbackMigrations } from '../../index.js';
import { PLAYBACK_ROLLUP_REPAIR_JOB } from './report.job.js';
import { RollupRepair } from './report.repair.js';

const DAY = 86_400_000;
const TABLES = [
  'play_rollup',
  'play_daily',
  'display_campaign_day',
  'campaign_daily',
  'display_creative_day',
  'creative_daily',
  'display_day',
  'store_daily',
] as const;

describe(RollupRepair.name, () => {
  let h: PlaybackHarness;
  let truth: Record<string, unknown[]>;

  /** Every rollup row, in a stable order (reach as its bit string). */
  async function rollups(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLES) {
      out[t] = (
        await h.db.query(`SELECT to_jsonb(r) - 'day' || jsonb_build_object('day', r."day"::text) AS j
          FROM "playback"."${t}" r ORDER BY 1`)
      ).rows.map((r: { j: unknown }) => r.j);
    }
    out['play_reach'] = (
      await h.db.query(`SELECT "campaign_id", "creative_id", "store_id", "display_id", "year", "days"::text
        FROM "playback"."play_reach" ORDER BY 1, 2, 3, 4, 5`)
    ).rows;
    return out;
  }

  beforeAll(async () => {
    h = await startPlayback();
    // Far from UTC, so a store's day is not the UTC day around midnight.
    await h.publishStore(STORE_1, DEMO_TENANT_ID, 'America/New_York');
    await h.publishStore(STORE_2, DEMO_TENANT_ID, 'Asia/Tokyo');
    await waitFor(async () => (await h.count('known_store')) === 2);
    // 48 plays every 3 hours over the last six days, from both stores, two campaigns and overrides.
    const plays = Array.from({ length: 48 }, (_, i) => {
      const startedAt = T0 - 6 * DAY + i * 3 * 3_600_000;
      return play({
        displayId: i % 2 ? DISPLAY_2 : DISPLAY_1,
        campaignId: [CAMPAIGN_A, CAMPAIGN_B, null][i % 3],
        creativeId: i % 4 < 2 ? CREATIVE_X : CREATIVE_Y,
        startedAt: new Date(startedAt).toISOString(),
        endedAt: new Date(startedAt + 5_000).toISOString(),
        durationMs: 5_000,
      });
    });
    const res = await h.gql<{ recordPlayback: { accepted: number } }>(
      `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`,
      { i: { plays } },
      await h.token('hqAdmin'),
    );
    expect(res.data?.recordPlayback.accepted).toBe(48);
    await waitFor(async () => (await h.count('play')) === 48, { timeoutMs: 20_000 });
    // What the writer kept, batch by batch: right, as the rollups spec shows against raw plays.
    truth = await rollups();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('is a nightly singleton job of the worker', () => {
    expect(h.jobs.job(PLAYBACK_ROLLUP_REPAIR_JOB)).toMatchObject({
      schedule: { cron: '47 3 * * *', timeZone: 'UTC' },
      singleton: true,
      retry: { limit: 3, delaySeconds: 300, backoff: true },
    });
  });

  it('rebuilds rollups of recent days that drifted from the raw plays, every table alike', async () => {
    const s = '"playback"';
    // Drift of every kind: a lost row, wrong counts, a phantom day, cleared reach bits.
    await h.db.query(`DELETE FROM ${s}."play_rollup" WHERE ctid IN (SELECT ctid FROM ${s}."play_rollup" LIMIT 3)`);
    await h.db.query(`UPDATE ${s}."play_daily" SET "plays" = "plays" + 7, "displays" = 9`);
    await h.db.query(`UPDATE ${s}."store_daily" SET "displays" = 0`);
    await h.db.query(`DELETE FROM ${s}."display_campaign_day"`);
    await h.db.query(`UPDATE ${s}."play_reach" SET "days" = B'0'::bit(366)`);
    await h.db.query(`INSERT INTO ${s}."display_day" VALUES ($1, $2, $3, $4)`, [
      DEMO_TENANT_ID,
      new Date(T0 - 2 * DAY).toISOString().slice(0, 10),
      STORE_1,
      '00000000-0000-4000-8000-00000000dead',
    ]);
    expect(await rollups()).not.toEqual(truth);

    // PLAYBACK_ROLLUP_REPAIR_DAYS (3) is too few for six days of plays: the job repairs what it covers.
    await h.jobs.run(PLAYBACK_ROLLUP_REPAIR_JOB);
    const partly = await rollups();
    const recent = (rows: unknown[]) =>
      rows.filter((r) => (r as { day: string }).day >= new Date(T0 - 3 * DAY).toISOString().slice(0, 10));
    for (const t of TABLES) expect(recent(partly[t]!), t).toEqual(recent(truth[t]!));

    // The whole range, as an operator would after a longer incident.
    const logger = createLogger('rollup-repair-test', 'silent');
    const ds = await openDatabase({
      url: h.infra.databaseUrl,
      schema: 'playback',
      entities: playbackEntities,
      migrations: playbackMigrations,
      logger,
    });
    const result = await new RollupRepair(ds, h.clock, logger, { days: 30 }).repairRecent().finally(() => ds.destroy());
    expect(result).toMatchObject({ tenants: 1, rollups: truth['play_rollup']!.length, complete: true });
    expect(await rollups()).toEqual(truth);
  });

  it('leaves days outside its window alone, and a second run changes nothing', async () => {
    const old = new Date(T0 - 40 * DAY).toISOString().slice(0, 10);
    await h.db.query(`INSERT INTO "playback"."store_daily" VALUES ($1, $2, $3, 5)`, [DEMO_TENANT_ID, old, STORE_2]);
    await h.jobs.run(PLAYBACK_ROLLUP_REPAIR_JOB);
    const after = await rollups();
    expect(after['store_daily']).toContainEqual(expect.objectContaining({ day: old, displays: 5 }));
    await h.db.query(`DELETE FROM "playback"."store_daily" WHERE "day" = $1`, [old]);
    expect(await rollups()).toEqual(truth);
  });
});
