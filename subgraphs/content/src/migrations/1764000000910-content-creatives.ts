import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ContentCreatives1764000000910 implements MigrationInterface {
  name = 'ContentCreatives1764000000910';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'content'}"`;
    // A campaign creative made from AEM content, and what the sync job compares AEM's content with.
    await runner.query(`CREATE TABLE ${s}."aem_creative" (
      "creative_id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "source_id" uuid NOT NULL,
      "aem_path" text NOT NULL,
      "template" text,
      "fragment_id" text,
      "etag" text,
      "checksum" text,
      "version" integer NOT NULL DEFAULT 0,
      "failure" text,
      "checked_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX "aem_creative_checked" ON ${s}."aem_creative" ("checked_at" NULLS FIRST)`);
    // Copies of AEM renditions and rendered fragments, by their sha256: players fetch them from here, never from AEM.
    await runner.query(`CREATE TABLE ${s}."content_file" (
      "checksum" text PRIMARY KEY,
      "mime_type" text NOT NULL,
      "bytes" bytea NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'content'}"`;
    await runner.query(`DROP TABLE ${s}."content_file"`);
    await runner.query(`DROP TABLE ${s}."aem_creative"`);
  }
}
