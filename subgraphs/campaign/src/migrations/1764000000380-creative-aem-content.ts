import type { MigrationInterface, QueryRunner } from 'typeorm';

/** AEM creatives copied by the content subgraph: the source they come from and the version the row holds. */
export class CreativeAemContent1764000000380 implements MigrationInterface {
  name = 'CreativeAemContent1764000000380';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`ALTER TABLE ${s}."creative" ADD COLUMN "aem_source_id" uuid`);
    await runner.query(`ALTER TABLE ${s}."creative" ADD COLUMN "aem_version" integer NOT NULL DEFAULT 0`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`ALTER TABLE ${s}."creative" DROP COLUMN "aem_version", DROP COLUMN "aem_source_id"`);
  }
}
