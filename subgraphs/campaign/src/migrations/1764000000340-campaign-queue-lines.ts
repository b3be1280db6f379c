import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The queue lines' latest state, for campaigns that target a queue condition (context marketing). */
export class CampaignQueueLines1764000000340 implements MigrationInterface {
  name = 'CampaignQueueLines1764000000340';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`CREATE TABLE ${s}."known_queue_line" (
      "line_id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "open" boolean NOT NULL,
      "waiting" int NOT NULL,
      "estimated_wait_minutes" int,
      "occurred_at" timestamptz NOT NULL
    )`);
    await runner.query(
      `CREATE INDEX "known_queue_line_tenant_store" ON ${s}."known_queue_line" ("tenant_id", "store_id")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`DROP TABLE ${s}."known_queue_line"`);
  }
}
