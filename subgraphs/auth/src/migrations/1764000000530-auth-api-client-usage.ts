import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Partner usage per API client and hour (issue 18): what the gateway counted, for HQ admins. */
export class AuthApiClientUsage1764000000530 implements MigrationInterface {
  name = 'AuthApiClientUsage1764000000530';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    await runner.query(`CREATE TABLE ${s}."api_client_usage" (
      "client_id" uuid NOT NULL REFERENCES ${s}."api_client" ("id") ON DELETE CASCADE,
      "hour" timestamptz NOT NULL CHECK (date_trunc('hour', "hour") = "hour"),
      "tenant_id" uuid NOT NULL,
      "requests" bigint NOT NULL DEFAULT 0 CHECK ("requests" >= 0),
      "errors" bigint NOT NULL DEFAULT 0 CHECK ("errors" >= 0),
      "rate_limited" bigint NOT NULL DEFAULT 0 CHECK ("rate_limited" >= 0),
      "cost" bigint NOT NULL DEFAULT 0 CHECK ("cost" >= 0),
      PRIMARY KEY ("client_id", "hour")
    )`);
    await runner.query(
      `CREATE INDEX "api_client_usage_tenant" ON ${s}."api_client_usage" ("tenant_id", "client_id", "hour")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    await runner.query(`DROP TABLE ${s}."api_client_usage"`);
  }
}
