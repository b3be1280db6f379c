import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Built-in creatives (QUEUE_BOARD: the store's "now serving" board), drawn by players, never uploaded. */
export class CreativeBuiltIns1764000000320 implements MigrationInterface {
  name = 'CreativeBuiltIns1764000000320';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`ALTER TABLE ${s}."creative" DROP CONSTRAINT "creative_kind_check"`);
    await runner.query(
      `ALTER TABLE ${s}."creative" ADD CONSTRAINT "creative_kind_check" CHECK ("kind" IN ('IMAGE', 'VIDEO', 'HTML', 'AEM', 'QUEUE_BOARD'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`DELETE FROM ${s}."creative" WHERE "kind" = 'QUEUE_BOARD'`);
    await runner.query(`ALTER TABLE ${s}."creative" DROP CONSTRAINT "creative_kind_check"`);
    await runner.query(
      `ALTER TABLE ${s}."creative" ADD CONSTRAINT "creative_kind_check" CHECK ("kind" IN ('IMAGE', 'VIDEO', 'HTML', 'AEM'))`,
    );
  }
}
