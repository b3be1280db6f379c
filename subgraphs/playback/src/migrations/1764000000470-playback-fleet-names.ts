import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fleet list (`fleetDisplays`) sorts and searches by display and store names, so playback keeps them from
 * location's events (display name; store name, code and region). NULL until the next event of that display or
 * store: a projection filled before this migration learns names as location changes them.
 */
export class PlaybackFleetNames1764000000470 implements MigrationInterface {
  name = 'PlaybackFleetNames1764000000470';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`ALTER TABLE ${s}."known_display" ADD COLUMN "name" text`);
    await runner.query(`ALTER TABLE ${s}."known_store" ADD COLUMN "name" text`);
    await runner.query(`ALTER TABLE ${s}."known_store" ADD COLUMN "code" text`);
    await runner.query(`ALTER TABLE ${s}."known_store" ADD COLUMN "region_id" uuid`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`ALTER TABLE ${s}."known_store" DROP COLUMN "region_id"`);
    await runner.query(`ALTER TABLE ${s}."known_store" DROP COLUMN "code"`);
    await runner.query(`ALTER TABLE ${s}."known_store" DROP COLUMN "name"`);
    await runner.query(`ALTER TABLE ${s}."known_display" DROP COLUMN "name"`);
  }
}
