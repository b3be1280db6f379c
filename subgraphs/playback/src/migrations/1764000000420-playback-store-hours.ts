import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a display owes, for STALE_CONTENT: each store's weekly opening hours (from location.store.v1; empty
 * means unknown, treated as always open) and, per display, how many items its resolved playlist has and
 * since when it has had any (from campaign.playlist.v1; NULL when campaign has not said).
 */
export class PlaybackStoreHours1764000000420 implements MigrationInterface {
  name = 'PlaybackStoreHours1764000000420';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`ALTER TABLE ${s}."known_store" ADD COLUMN "opening_hours" jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await runner.query(`ALTER TABLE ${s}."expected_playlist" ADD COLUMN "items" integer`);
    await runner.query(`ALTER TABLE ${s}."expected_playlist" ADD COLUMN "content_since" timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`ALTER TABLE ${s}."expected_playlist" DROP COLUMN "content_since"`);
    await runner.query(`ALTER TABLE ${s}."expected_playlist" DROP COLUMN "items"`);
    await runner.query(`ALTER TABLE ${s}."known_store" DROP COLUMN "opening_hours"`);
  }
}
