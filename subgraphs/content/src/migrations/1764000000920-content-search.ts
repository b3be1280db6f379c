import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ContentSearch1764000000920 implements MigrationInterface {
  name = 'ContentSearch1764000000920';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'content'}"`;
    // Postgres full-text search over campaigns, creatives and AEM content (modules/search). The 'simple'
    // configuration (lower-cased whole words, no stemming) matches what OpenSearch's standard analyzer does, so
    // both implementations answer the contract alike; a path's segments are words of their own.
    await runner.query(`CREATE TABLE ${s}."search_document" (
      "tenant_id" uuid NOT NULL,
      "kind" text NOT NULL CHECK ("kind" IN ('CAMPAIGN', 'CREATIVE', 'AEM_CONTENT')),
      "ref_id" text NOT NULL,
      "title" text NOT NULL,
      "body" text NOT NULL DEFAULT '',
      "source_id" uuid,
      "path" text,
      "updated_at" timestamptz NOT NULL,
      "document" tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', "title"), 'A')
        || setweight(to_tsvector('simple', "body"), 'B')
        || setweight(to_tsvector('simple', translate(coalesce("path", ''), '/_.:-', '     ')), 'C')
      ) STORED,
      PRIMARY KEY ("tenant_id", "kind", "ref_id")
    )`);
    await runner.query(`CREATE INDEX "search_document_fts" ON ${s}."search_document" USING GIN ("document")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'content'}"`;
    await runner.query(`DROP TABLE ${s}."search_document"`);
  }
}
