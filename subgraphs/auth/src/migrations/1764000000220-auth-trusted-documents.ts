import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Partners' trusted documents (issue 18): the operations each API client may run in production. */
export class AuthTrustedDocuments1764000000220 implements MigrationInterface {
  name = 'AuthTrustedDocuments1764000000220';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    await runner.query(`CREATE TABLE ${s}."trusted_document" (
      "client_id" uuid NOT NULL REFERENCES ${s}."api_client" ("id") ON DELETE CASCADE,
      "id" text NOT NULL CHECK ("id" ~ '^[0-9a-f]{64}$'),
      "tenant_id" uuid NOT NULL,
      "body" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("client_id", "id")
    )`);
    await runner.query(`CREATE INDEX "trusted_document_tenant" ON ${s}."trusted_document" ("tenant_id", "client_id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    await runner.query(`DROP TABLE ${s}."trusted_document"`);
  }
}
