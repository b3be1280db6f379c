import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Remote commands to displays (reload, clear cache, identify, screenshot) and what the displays answered. */
export class PlaybackDisplayCommands1764000000450 implements MigrationInterface {
  name = 'PlaybackDisplayCommands1764000000450';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`CREATE TABLE ${s}."display_command" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "state" text NOT NULL,
      "issued_by" text NOT NULL,
      "issued_at" timestamptz NOT NULL,
      "expires_at" timestamptz NOT NULL,
      "completed_at" timestamptz,
      "error" text,
      "image" bytea,
      "image_type" text
    )`);
    // A display's history, newest first; and its pending commands when its player (re)subscribes.
    await runner.query(
      `CREATE INDEX "display_command_display_idx" ON ${s}."display_command" ("display_id", "issued_at" DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`DROP TABLE ${s}."display_command"`);
  }
}
