import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report rollups sized for fast reads over 90 days and 1,000+ displays, counted in each store's own day:
 * - `play_daily`: plays, play time and displays per day × campaign × creative × store;
 * - `campaign_daily`: displays per day × campaign × store (a display plays several creatives of a campaign),
 *   kept exact through `display_campaign_day`, which records each display's first play of a campaign a day;
 *   `creative_daily` and `display_creative_day` the same per creative (a creative may be in several campaigns);
 * - `play_reach`: per campaign × creative × store × display and year, a bit per day played, so "displays
 *   reached over a range" is one pass over one row per display and campaign instead of one per day;
 * - `display_day`: which displays played anything per day, and `store_daily` how many per store;
 * - `play_rollup` (per display and day) stays the per-display truth the others are derived from, with indexes
 *   that start from a campaign, a creative or a store.
 * A display is in one store at a time, so per-store display counts add up across stores.
 * Plays without a campaign (display overrides) are kept under the nil UUID in rollups, NULL in `play`.
 * `known_store` is playback's copy of each store's time zone (location.store.v1).
 */
export class PlaybackReportRollups1764000000410 implements MigrationInterface {
  name = 'PlaybackReportRollups1764000000410';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`ALTER TABLE ${s}."play" ALTER COLUMN "campaign_id" DROP NOT NULL`);
    await runner.query(`CREATE TABLE ${s}."known_store" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "timezone" text NOT NULL,
      "occurred_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE TABLE ${s}."play_daily" (
      "tenant_id" uuid NOT NULL,
      "day" date NOT NULL,
      "campaign_id" uuid NOT NULL,
      "creative_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "plays" bigint NOT NULL,
      "play_ms" bigint NOT NULL,
      "displays" integer NOT NULL,
      PRIMARY KEY ("tenant_id", "day", "campaign_id", "creative_id", "store_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."display_campaign_day" (
      "tenant_id" uuid NOT NULL,
      "day" date NOT NULL,
      "campaign_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      PRIMARY KEY ("tenant_id", "day", "campaign_id", "store_id", "display_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."campaign_daily" (
      "tenant_id" uuid NOT NULL,
      "day" date NOT NULL,
      "campaign_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "displays" integer NOT NULL,
      PRIMARY KEY ("tenant_id", "day", "campaign_id", "store_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."play_reach" (
      "tenant_id" uuid NOT NULL,
      "campaign_id" uuid NOT NULL,
      "creative_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      "year" smallint NOT NULL,
      "days" bit(366) NOT NULL,
      PRIMARY KEY ("tenant_id", "campaign_id", "creative_id", "store_id", "display_id", "year")
    )`);
    await runner.query(`CREATE TABLE ${s}."display_day" (
      "tenant_id" uuid NOT NULL,
      "day" date NOT NULL,
      "store_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      PRIMARY KEY ("tenant_id", "day", "store_id", "display_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."display_creative_day" (
      "tenant_id" uuid NOT NULL,
      "day" date NOT NULL,
      "creative_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      PRIMARY KEY ("tenant_id", "day", "creative_id", "store_id", "display_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."creative_daily" (
      "tenant_id" uuid NOT NULL,
      "day" date NOT NULL,
      "creative_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "displays" integer NOT NULL,
      PRIMARY KEY ("tenant_id", "day", "creative_id", "store_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."store_daily" (
      "tenant_id" uuid NOT NULL,
      "day" date NOT NULL,
      "store_id" uuid NOT NULL,
      "displays" integer NOT NULL,
      PRIMARY KEY ("tenant_id", "day", "store_id")
    )`);
    await runner.query(
      `CREATE INDEX "play_rollup_campaign_day" ON ${s}."play_rollup" ("tenant_id", "campaign_id", "day")`,
    );
    await runner.query(`CREATE INDEX "play_rollup_store_day" ON ${s}."play_rollup" ("tenant_id", "store_id", "day")`);
    await runner.query(
      `CREATE INDEX "play_rollup_creative_day" ON ${s}."play_rollup" ("tenant_id", "creative_id", "day")`,
    );
    // Existing rollups (UTC days) seed the new tables.
    await deriveReportRollups((sql) => runner.query(sql), s);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`DROP INDEX ${s}."play_rollup_creative_day"`);
    await runner.query(`DROP INDEX ${s}."play_rollup_store_day"`);
    await runner.query(`DROP INDEX ${s}."play_rollup_campaign_day"`);
    for (const t of [
      'display_day',
      'play_reach',
      'campaign_daily',
      'display_campaign_day',
      'play_daily',
      'known_store',
    ]) {
      await runner.query(`DROP TABLE ${s}."${t}"`);
    }
    await runner.query(`DELETE FROM ${s}."play" WHERE "campaign_id" IS NULL`);
    await runner.query(`ALTER TABLE ${s}."play" ALTER COLUMN "campaign_id" SET NOT NULL`);
  }
}

/**
 * Fills the report rollups from `play_rollup` (the per-display truth), as the writer would have kept them:
 * the migration's backfill, and the benchmark's build. `schema` is the quoted schema name.
 */
export async function deriveReportRollups(query: (sql: string) => Promise<unknown>, schema: string): Promise<void> {
  const s = schema;
  await query(`INSERT INTO ${s}."play_daily"
    SELECT "tenant_id", "day", "campaign_id", "creative_id", "store_id", sum("plays"), sum("play_ms"), count(*)
    FROM ${s}."play_rollup" GROUP BY 1, 2, 3, 4, 5`);
  for (const [presence, counts, key] of [
    ['display_campaign_day', 'campaign_daily', 'campaign_id'],
    ['display_creative_day', 'creative_daily', 'creative_id'],
  ] as const) {
    await query(`INSERT INTO ${s}."${presence}"
      SELECT DISTINCT "tenant_id", "day", "${key}", "store_id", "display_id" FROM ${s}."play_rollup"`);
    await query(`INSERT INTO ${s}."${counts}"
      SELECT "tenant_id", "day", "${key}", "store_id", count(*) FROM ${s}."${presence}" GROUP BY 1, 2, 3, 4`);
  }
  await query(`INSERT INTO ${s}."display_day"
    SELECT DISTINCT "tenant_id", "day", "store_id", "display_id" FROM ${s}."play_rollup"`);
  await query(`INSERT INTO ${s}."store_daily"
    SELECT "tenant_id", "day", "store_id", count(*) FROM ${s}."display_day" GROUP BY 1, 2, 3`);
  await query(`INSERT INTO ${s}."play_reach"
    SELECT "tenant_id", "campaign_id", "creative_id", "store_id", "display_id", extract(year FROM "day")::smallint,
      bit_or(set_bit(B'0'::bit(366), extract(doy FROM "day")::int - 1, 1))
    FROM ${s}."play_rollup" GROUP BY 1, 2, 3, 4, 5, 6`);
}
