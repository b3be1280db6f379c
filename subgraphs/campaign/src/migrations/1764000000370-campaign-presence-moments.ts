import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Live presence moments per store (from `presence.moment.v1`), for SEGMENT and PROXIMITY_ZONE rules. */
export class CampaignPresenceMoments1764000000370 implements MigrationInterface {
  name = 'CampaignPresenceMoments1764000000370';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`CREATE TABLE ${s}."known_presence_moment" (
      "moment_id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "source" text NOT NULL,
      "zone_id" uuid,
      "segment_keys" text[] NOT NULL DEFAULT '{}',
      "occurred_at" timestamptz NOT NULL,
      "expires_at" timestamptz NOT NULL
    )`);
    await runner.query(
      `CREATE INDEX "known_presence_moment_store" ON ${s}."known_presence_moment" ("tenant_id", "store_id", "expires_at")`,
    );
    await runner.query(`CREATE INDEX "known_presence_moment_expires" ON ${s}."known_presence_moment" ("expires_at")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`DROP TABLE ${s}."known_presence_moment"`);
  }
}
