import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Emergency store takeovers; at most one active (not lifted) per store, enforced by a partial unique index. */
export class CampaignStoreTakeovers1764000000360 implements MigrationInterface {
  name = 'CampaignStoreTakeovers1764000000360';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`CREATE TABLE ${s}."store_takeover" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "creative_id" uuid REFERENCES ${s}."creative" ("id"),
      "message" text,
      "reason" text,
      "created_by" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "lifted_by" text,
      "lifted_at" timestamptz,
      CHECK (("creative_id" IS NULL) <> ("message" IS NULL)),
      CHECK (("lifted_at" IS NULL) = ("lifted_by" IS NULL))
    )`);
    await runner.query(
      `CREATE INDEX "store_takeover_tenant_store" ON ${s}."store_takeover" ("tenant_id", "store_id", "created_at")`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX "store_takeover_one_active" ON ${s}."store_takeover" ("tenant_id", "store_id")
       WHERE "lifted_at" IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`DROP TABLE ${s}."store_takeover"`);
  }
}
