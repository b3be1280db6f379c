import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ContentSources1764000000900 implements MigrationInterface {
  name = 'ContentSources1764000000900';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'content'}"`;
    // An AEM service a tenant takes content from; "secret" is sealed (envelope key), health columns kept by reads.
    await runner.query(`CREATE TABLE ${s}."aem_source" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "name" text NOT NULL,
      "base_url" text NOT NULL,
      "auth_kind" text NOT NULL CHECK ("auth_kind" IN ('NONE', 'BASIC', 'BEARER', 'SERVICE_CREDENTIALS')),
      "username" text,
      "secret" jsonb,
      "created_by" text NOT NULL,
      "last_success_at" timestamptz,
      "last_error_at" timestamptz,
      "last_error_code" text,
      "last_error_message" text,
      "circuit_state" text NOT NULL DEFAULT 'CLOSED',
      "consecutive_failures" integer NOT NULL DEFAULT 0,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(
      `CREATE UNIQUE INDEX "aem_source_tenant_name" ON ${s}."aem_source" ("tenant_id", lower("name"))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'content'}"`;
    await runner.query(`DROP TABLE ${s}."aem_source"`);
  }
}
