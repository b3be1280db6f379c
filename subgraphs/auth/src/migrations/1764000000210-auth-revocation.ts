import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Durable revocations (issue 11): the cache alone forgot them on a Redis restart. */
export class AuthRevocation1764000000210 implements MigrationInterface {
  name = 'AuthRevocation1764000000210';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    await runner.query(`CREATE TABLE ${s}."revocation" (
      "kind" text NOT NULL CHECK ("kind" IN ('sid', 'jti')),
      "id" text NOT NULL,
      "reason" text NOT NULL,
      "expires_at" timestamptz NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("kind", "id")
    )`);
    await runner.query(`CREATE INDEX "revocation_expires_at" ON ${s}."revocation" ("expires_at")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    await runner.query(`DROP TABLE ${s}."revocation"`);
  }
}
