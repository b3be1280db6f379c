import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Creatives1764000000300 implements MigrationInterface {
  name = 'Creatives1764000000300';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`CREATE TABLE ${s}."creative" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "name" text NOT NULL,
      "kind" text NOT NULL CHECK ("kind" IN ('IMAGE', 'VIDEO', 'HTML', 'AEM')),
      "mime_type" text,
      "size_bytes" bigint,
      "duration_ms" integer NOT NULL CHECK ("duration_ms" > 0),
      "checksum" text,
      "url" text,
      "status" text NOT NULL CHECK ("status" IN ('PENDING_UPLOAD', 'READY', 'FAILED')),
      "failure_reason" text,
      "variants" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "pending_variants" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "storage_key" text,
      "aem_path" text,
      "created_by" text NOT NULL,
      "archived_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    // Lists page by (name, id) within a tenant; filters by status and kind narrow that.
    await runner.query(`CREATE INDEX "creative_tenant_name" ON ${s}."creative" ("tenant_id", "name", "id")`);
    await runner.query(`CREATE INDEX "creative_tenant_status" ON ${s}."creative" ("tenant_id", "status")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`DROP TABLE ${s}."creative"`);
  }
}
