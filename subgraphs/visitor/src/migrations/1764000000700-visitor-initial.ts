import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Profiles (personal fields only as a sealed ciphertext, its key apart in `profile_key` so that erasure destroys
 * it), identifiers by keyed hash, consent history, segments and memberships, visits, the queue tickets linked to
 * visits, and the audit of who read what.
 */
export class VisitorInitial1764000000700 implements MigrationInterface {
  name = 'VisitorInitial1764000000700';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'visitor'}"`;
    await runner.query(`CREATE TABLE ${s}."tenant_key" (
      "tenant_id" uuid PRIMARY KEY,
      "sealed" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE ${s}."profile" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "source" text NOT NULL,
      "sealed" jsonb,
      "visit_count" integer NOT NULL DEFAULT 0,
      "merged_into" uuid,
      "erased_at" timestamptz,
      "created_at" timestamptz NOT NULL,
      "last_seen_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "profile_tenant_seen" ON ${s}."profile" ("tenant_id", "last_seen_at")
      WHERE "erased_at" IS NULL AND "merged_into" IS NULL`);
    await runner.query(`CREATE TABLE ${s}."profile_key" (
      "profile_id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "kek" text NOT NULL,
      "edk" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE ${s}."identifier" (
      "tenant_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "hash" text NOT NULL,
      "profile_id" uuid NOT NULL,
      "created_at" timestamptz NOT NULL,
      PRIMARY KEY ("tenant_id", "kind", "hash")
    )`);
    await runner.query(`CREATE INDEX "identifier_profile" ON ${s}."identifier" ("profile_id")`);
    await runner.query(`CREATE TABLE ${s}."consent_event" (
      "id" bigserial PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "profile_id" uuid NOT NULL,
      "purpose" text NOT NULL,
      "granted" boolean NOT NULL,
      "source" text NOT NULL,
      "actor_kind" text NOT NULL,
      "actor_id" text,
      "at" timestamptz NOT NULL
    )`);
    await runner.query(
      `CREATE INDEX "consent_profile" ON ${s}."consent_event" ("profile_id", "purpose", "at" DESC, "id" DESC)`,
    );
    await runner.query(`CREATE TABLE ${s}."segment" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "key" text NOT NULL,
      "name" text NOT NULL,
      "description" text,
      "kind" text NOT NULL,
      "rule" jsonb,
      "show_at_check_in" boolean NOT NULL DEFAULT true,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      CONSTRAINT "segment_tenant_key" UNIQUE ("tenant_id", "key")
    )`);
    await runner.query(`CREATE TABLE ${s}."segment_member" (
      "segment_id" uuid NOT NULL REFERENCES ${s}."segment" ("id") ON DELETE CASCADE,
      "profile_id" uuid NOT NULL,
      "tenant_id" uuid NOT NULL,
      "source" text NOT NULL,
      "since" timestamptz NOT NULL,
      PRIMARY KEY ("segment_id", "profile_id")
    )`);
    await runner.query(`CREATE INDEX "segment_member_profile" ON ${s}."segment_member" ("profile_id")`);
    await runner.query(`CREATE TABLE ${s}."visit" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "profile_id" uuid NOT NULL,
      "source" text NOT NULL,
      "ticket_id" uuid,
      "outcome" text,
      "moment_id" uuid,
      "at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "visit_store_at" ON ${s}."visit" ("tenant_id", "store_id", "at")`);
    await runner.query(`CREATE INDEX "visit_profile" ON ${s}."visit" ("profile_id")`);
    await runner.query(
      `CREATE UNIQUE INDEX "visit_ticket" ON ${s}."visit" ("ticket_id") WHERE "ticket_id" IS NOT NULL`,
    );
    await runner.query(`CREATE TABLE ${s}."known_ticket" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "state" text NOT NULL,
      "occurred_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE TABLE ${s}."audit" (
      "id" bigserial PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "actor_kind" text NOT NULL,
      "actor_id" text,
      "action" text NOT NULL,
      "profile_id" uuid,
      "store_id" uuid,
      "fields" text[] NOT NULL DEFAULT '{}',
      "at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "audit_tenant_at" ON ${s}."audit" ("tenant_id", "at" DESC)`);
    await runner.query(`CREATE INDEX "audit_profile" ON ${s}."audit" ("profile_id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'visitor'}"`;
    for (const t of [
      'audit',
      'known_ticket',
      'visit',
      'segment_member',
      'segment',
      'consent_event',
      'identifier',
      'profile_key',
      'profile',
      'tenant_key',
    ]) {
      await runner.query(`DROP TABLE ${s}."${t}"`);
    }
  }
}
