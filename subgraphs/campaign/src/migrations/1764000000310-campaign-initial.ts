import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Campaigns, their creatives, workflow history, store pauses, overrides, settings and location projections. */
export class CampaignInitial1764000000310 implements MigrationInterface {
  name = 'CampaignInitial1764000000310';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`CREATE TABLE ${s}."campaign" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "name" text NOT NULL,
      "description" text,
      "owner_id" text NOT NULL,
      "store_id" uuid,
      "status" text NOT NULL,
      "priority" int NOT NULL DEFAULT 0,
      "weight" int NOT NULL DEFAULT 1 CHECK ("weight" > 0),
      "schedule" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "targeting" jsonb NOT NULL DEFAULT '{"include":[],"exclude":[]}'::jsonb,
      "review_note" text,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX "campaign_tenant_status" ON ${s}."campaign" ("tenant_id", "status")`);
    await runner.query(`CREATE INDEX "campaign_tenant_name" ON ${s}."campaign" ("tenant_id", "name", "id")`);
    await runner.query(`CREATE TABLE ${s}."campaign_creative" (
      "campaign_id" uuid NOT NULL REFERENCES ${s}."campaign" ("id") ON DELETE CASCADE,
      "position" int NOT NULL,
      "creative_id" uuid NOT NULL REFERENCES ${s}."creative" ("id"),
      PRIMARY KEY ("campaign_id", "position")
    )`);
    await runner.query(`CREATE INDEX "campaign_creative_creative" ON ${s}."campaign_creative" ("creative_id")`);
    await runner.query(`CREATE TABLE ${s}."campaign_store_pause" (
      "campaign_id" uuid NOT NULL REFERENCES ${s}."campaign" ("id") ON DELETE CASCADE,
      "store_id" uuid NOT NULL,
      "tenant_id" uuid NOT NULL,
      "paused_by" text NOT NULL,
      "reason" text,
      "paused_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("campaign_id", "store_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."campaign_transition" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "campaign_id" uuid NOT NULL REFERENCES ${s}."campaign" ("id") ON DELETE CASCADE,
      "action" text NOT NULL,
      "from_status" text,
      "to_status" text NOT NULL,
      "actor_id" text NOT NULL,
      "reason" text,
      "store_id" uuid,
      "occurred_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(
      `CREATE INDEX "campaign_transition_campaign" ON ${s}."campaign_transition" ("campaign_id", "occurred_at")`,
    );
    await runner.query(`CREATE TABLE ${s}."campaign_settings" (
      "tenant_id" uuid PRIMARY KEY,
      "auto_approve" boolean NOT NULL DEFAULT false,
      "auto_approve_store_local" boolean NOT NULL DEFAULT true,
      "updated_by" text,
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE ${s}."display_override" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "creative_id" uuid NOT NULL REFERENCES ${s}."creative" ("id"),
      "campaign_id" uuid REFERENCES ${s}."campaign" ("id") ON DELETE SET NULL,
      "starts_at" timestamptz NOT NULL,
      "until" timestamptz NOT NULL,
      "reason" text,
      "created_by" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "cleared_at" timestamptz,
      "cleared_by" text,
      CHECK ("until" > "starts_at")
    )`);
    await runner.query(
      `CREATE INDEX "display_override_tenant_display" ON ${s}."display_override" ("tenant_id", "display_id", "until")`,
    );
    await runner.query(`CREATE TABLE ${s}."known_store" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "region_id" uuid,
      "name" text NOT NULL,
      "timezone" text NOT NULL,
      "tags" text[] NOT NULL DEFAULT '{}',
      "archived_at" timestamptz,
      "occurred_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "known_store_tenant" ON ${s}."known_store" ("tenant_id")`);
    await runner.query(`CREATE TABLE ${s}."known_display" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "name" text NOT NULL,
      "tags" text[] NOT NULL DEFAULT '{}',
      "orientation" text NOT NULL,
      "zone_id" uuid,
      "archived_at" timestamptz,
      "occurred_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "known_display_tenant_store" ON ${s}."known_display" ("tenant_id", "store_id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    for (const table of [
      'known_display',
      'known_store',
      'display_override',
      'campaign_settings',
      'campaign_transition',
      'campaign_store_pause',
      'campaign_creative',
      'campaign',
    ]) {
      await runner.query(`DROP TABLE ${s}."${table}"`);
    }
  }
}
