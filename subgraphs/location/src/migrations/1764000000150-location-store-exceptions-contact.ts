import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Days with other hours than the week's (holidays, late openings) and the store's contact. */
export class LocationStoreExceptionsContact1764000000150 implements MigrationInterface {
  name = 'LocationStoreExceptionsContact1764000000150';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'location'}"`;
    await runner.query(
      `ALTER TABLE ${s}."store" ADD COLUMN "opening_hours_exceptions" jsonb NOT NULL DEFAULT '[]'::jsonb`,
    );
    await runner.query(`ALTER TABLE ${s}."store" ADD COLUMN "contact" jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'location'}"`;
    await runner.query(`ALTER TABLE ${s}."store" DROP COLUMN "contact"`);
    await runner.query(`ALTER TABLE ${s}."store" DROP COLUMN "opening_hours_exceptions"`);
  }
}
