import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The sealed data key that encrypts visitors' names, phones and notes (see personal-data.ts). */
export class QueuePersonalData1764000000510 implements MigrationInterface {
  name = 'QueuePersonalData1764000000510';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`CREATE TABLE ${s}."data_key" (
      "id" text PRIMARY KEY,
      "sealed" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`DROP TABLE ${s}."data_key"`);
  }
}
