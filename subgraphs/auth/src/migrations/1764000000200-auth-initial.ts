import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthInitial1764000000200 implements MigrationInterface {
  name = 'AuthInitial1764000000200';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    await runner.query(`CREATE TABLE ${s}."tenant" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "slug" text NOT NULL UNIQUE,
      "name" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE ${s}."user" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL REFERENCES ${s}."tenant" ("id"),
      "email" text NOT NULL UNIQUE CHECK ("email" = lower("email")),
      "display_name" text NOT NULL,
      "password_hash" text,
      "status" text NOT NULL CHECK ("status" IN ('INVITED', 'ACTIVE', 'DEACTIVATED')),
      "roles" text[] NOT NULL DEFAULT '{}',
      "store_ids" uuid[] NOT NULL DEFAULT '{}',
      "invitation_hash" text UNIQUE,
      "invitation_expires_at" timestamptz,
      "last_login_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX "user_tenant_email" ON ${s}."user" ("tenant_id", "email", "id")`);
    await runner.query(`CREATE TABLE ${s}."session" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "kind" text NOT NULL CHECK ("kind" IN ('user', 'device')),
      "user_id" uuid REFERENCES ${s}."user" ("id"),
      "display_id" uuid,
      "expires_at" timestamptz NOT NULL,
      "revoked_at" timestamptz,
      "revoked_reason" text,
      "client_ip" text,
      "user_agent" text,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "last_used_at" timestamptz,
      CHECK (("kind" = 'user' AND "user_id" IS NOT NULL) OR ("kind" = 'device' AND "display_id" IS NOT NULL))
    )`);
    await runner.query(`CREATE INDEX "session_live_user" ON ${s}."session" ("user_id") WHERE "revoked_at" IS NULL`);
    await runner.query(
      `CREATE INDEX "session_live_display" ON ${s}."session" ("display_id") WHERE "revoked_at" IS NULL`,
    );
    await runner.query(`CREATE TABLE ${s}."refresh_token" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "session_id" uuid NOT NULL REFERENCES ${s}."session" ("id") ON DELETE CASCADE,
      "token_hash" text NOT NULL UNIQUE,
      "expires_at" timestamptz NOT NULL,
      "used_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX "refresh_token_session" ON ${s}."refresh_token" ("session_id")`);
    await runner.query(`CREATE TABLE ${s}."signing_key" (
      "kid" text PRIMARY KEY,
      "algorithm" text NOT NULL,
      "status" text NOT NULL CHECK ("status" IN ('PENDING', 'ACTIVE', 'RETIRED')),
      "public_jwk" jsonb NOT NULL,
      "private_jwk" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "activated_at" timestamptz,
      "retired_at" timestamptz
    )`);
    await runner.query(
      `CREATE UNIQUE INDEX "signing_key_one_active" ON ${s}."signing_key" ("status") WHERE "status" IN ('ACTIVE', 'PENDING')`,
    );
    await runner.query(`CREATE TABLE ${s}."api_client" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL REFERENCES ${s}."tenant" ("id"),
      "name" text NOT NULL,
      "scopes" text[] NOT NULL,
      "secret_hash" text NOT NULL,
      "token_family" uuid NOT NULL,
      "created_by" text,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      "last_used_at" timestamptz,
      "revoked_at" timestamptz
    )`);
    await runner.query(`CREATE INDEX "api_client_tenant_name" ON ${s}."api_client" ("tenant_id", "name", "id")`);
    await runner.query(`CREATE TABLE ${s}."pairing_code" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "code" text NOT NULL,
      "secret_hash" text NOT NULL UNIQUE,
      "status" text NOT NULL CHECK ("status" IN ('PENDING', 'CLAIMED', 'COMPLETED', 'EXPIRED')),
      "expires_at" timestamptz NOT NULL,
      "client_ip" text,
      "tenant_id" uuid,
      "display_id" uuid,
      "store_id" uuid,
      "claimed_by" text,
      "claimed_at" timestamptz,
      "completed_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    // A code names one open pairing at a time; finished ones free it for reuse.
    await runner.query(
      `CREATE UNIQUE INDEX "pairing_code_open" ON ${s}."pairing_code" ("code") WHERE "status" IN ('PENDING', 'CLAIMED')`,
    );
    await runner.query(`CREATE TABLE ${s}."display" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "name" text NOT NULL,
      "archived_at" timestamptz,
      "occurred_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE TABLE ${s}."audit_event" (
      "id" bigserial PRIMARY KEY,
      "tenant_id" uuid,
      "type" text NOT NULL,
      "actor_type" text,
      "actor_id" text,
      "subject_type" text,
      "subject_id" text,
      "client_ip" text,
      "details" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "occurred_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX "audit_event_tenant" ON ${s}."audit_event" ("tenant_id", "id" DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    for (const table of [
      'audit_event',
      'display',
      'pairing_code',
      'api_client',
      'signing_key',
      'refresh_token',
      'session',
      'user',
      'tenant',
    ]) {
      await runner.query(`DROP TABLE ${s}."${table}"`);
    }
  }
}
