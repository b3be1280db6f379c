import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Layouts (regions as jsonb, names unique per tenant) and the layout each display plays. */
export class CampaignLayouts1764000000430 implements MigrationInterface {
  name = 'CampaignLayouts1764000000430';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`CREATE TABLE ${s}."layout" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "name" text NOT NULL,
      "regions" jsonb NOT NULL,
      "created_by" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE UNIQUE INDEX "layout_tenant_name" ON ${s}."layout" ("tenant_id", "name")`);
    await runner.query(`CREATE TABLE ${s}."display_layout" (
      "display_id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "layout_id" uuid NOT NULL REFERENCES ${s}."layout" ("id") ON DELETE CASCADE,
      "assigned_by" text NOT NULL,
      "assigned_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(
      `CREATE INDEX "display_layout_tenant_layout" ON ${s}."display_layout" ("tenant_id", "layout_id")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`DROP TABLE ${s}."display_layout"`);
    await runner.query(`DROP TABLE ${s}."layout"`);
  }
}
