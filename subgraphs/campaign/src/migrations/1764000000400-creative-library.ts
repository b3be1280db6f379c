import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The media library: a creative's pixel size (its orientation follows), how players fit it into a screen of
 * another shape, and library tags; an index for the cleanup of uploads that never completed.
 */
export class CreativeLibrary1764000000400 implements MigrationInterface {
  name = 'CreativeLibrary1764000000400';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`ALTER TABLE ${s}."creative"
      ADD COLUMN "width" integer CHECK ("width" > 0),
      ADD COLUMN "height" integer CHECK ("height" > 0),
      ADD COLUMN "fit_mode" text NOT NULL DEFAULT 'CONTAIN' CHECK ("fit_mode" IN ('CONTAIN', 'COVER', 'FILL')),
      ADD COLUMN "tags" text[] NOT NULL DEFAULT '{}'`);
    await runner.query(`CREATE INDEX "creative_tags" ON ${s}."creative" USING gin ("tags")`);
    await runner.query(
      `CREATE INDEX "creative_unfinished" ON ${s}."creative" ("created_at") WHERE "status" IN ('PENDING_UPLOAD', 'FAILED')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`DROP INDEX ${s}."creative_unfinished"`);
    await runner.query(`DROP INDEX ${s}."creative_tags"`);
    await runner.query(
      `ALTER TABLE ${s}."creative" DROP COLUMN "tags", DROP COLUMN "fit_mode", DROP COLUMN "height", DROP COLUMN "width"`,
    );
  }
}
