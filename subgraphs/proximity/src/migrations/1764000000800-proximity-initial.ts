import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Proximity's tables: location's stores (projection), the tenant's Mist connection (sealed webhook secret and
 * MAC-hash key), site and zone mappings, received events (idempotency), who is in which zone now (hashed devices),
 * hourly footfall and dwell rollups, unknown sites, and the device → segments hook the visitor subgraph fills.
 */
export class ProximityInitial1764000000800 implements MigrationInterface {
  name = 'ProximityInitial1764000000800';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'proximity'}"`;
    await runner.query(`CREATE TABLE ${s}."known_store" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "timezone" text NOT NULL,
      "archived_at" timestamptz,
      "occurred_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE TABLE ${s}."mist_connection" (
      "tenant_id" uuid PRIMARY KEY,
      "sealed_secret" jsonb,
      "sealed_mac_key" jsonb NOT NULL,
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE ${s}."mist_site" (
      "tenant_id" uuid NOT NULL,
      "mist_site_id" text NOT NULL,
      "store_id" uuid NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("tenant_id", "mist_site_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."mist_zone" (
      "tenant_id" uuid NOT NULL,
      "mist_site_id" text NOT NULL,
      "mist_zone_id" text NOT NULL,
      "zone_id" uuid NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("tenant_id", "mist_site_id", "mist_zone_id"),
      FOREIGN KEY ("tenant_id", "mist_site_id") REFERENCES ${s}."mist_site" ("tenant_id", "mist_site_id") ON DELETE CASCADE
    )`);
    // One row per Mist event; the key is what Mist sends again if it ever repeats one (it does not replay).
    await runner.query(`CREATE TABLE ${s}."proximity_event" (
      "id" bigserial PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "mist_site_id" text NOT NULL,
      "mist_zone_id" text NOT NULL DEFAULT '',
      "device_hash" text NOT NULL,
      "at" timestamptz NOT NULL,
      "topic" text NOT NULL,
      "trigger" text,
      "store_id" uuid NOT NULL,
      "zone_id" uuid,
      "x" double precision,
      "y" double precision,
      "received_at" timestamptz NOT NULL DEFAULT now(),
      UNIQUE ("tenant_id", "mist_site_id", "mist_zone_id", "device_hash", "at")
    )`);
    await runner.query(`CREATE INDEX "proximity_event_received" ON ${s}."proximity_event" ("received_at")`);
    await runner.query(`CREATE TABLE ${s}."zone_presence" (
      "tenant_id" uuid NOT NULL,
      "zone_id" uuid NOT NULL,
      "device_hash" text NOT NULL,
      "store_id" uuid NOT NULL,
      "entered_at" timestamptz NOT NULL,
      "moment_id" uuid NOT NULL,
      PRIMARY KEY ("tenant_id", "zone_id", "device_hash")
    )`);
    await runner.query(`CREATE TABLE ${s}."zone_hour" (
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "zone_id" uuid NOT NULL,
      "hour" timestamptz NOT NULL,
      "enters" int NOT NULL DEFAULT 0,
      "exits" int NOT NULL DEFAULT 0,
      "dwell_seconds" bigint NOT NULL DEFAULT 0,
      "dwells" int NOT NULL DEFAULT 0,
      PRIMARY KEY ("tenant_id", "zone_id", "hour")
    )`);
    await runner.query(`CREATE INDEX "zone_hour_store" ON ${s}."zone_hour" ("tenant_id", "store_id", "hour")`);
    await runner.query(`CREATE TABLE ${s}."unknown_site" (
      "tenant_id" uuid NOT NULL,
      "mist_site_id" text NOT NULL,
      "events" bigint NOT NULL DEFAULT 0,
      "last_seen_at" timestamptz NOT NULL,
      PRIMARY KEY ("tenant_id", "mist_site_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."device_segment" (
      "tenant_id" uuid NOT NULL,
      "device_hash" text NOT NULL,
      "segment_keys" text[] NOT NULL DEFAULT '{}',
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("tenant_id", "device_hash")
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'proximity'}"`;
    for (const table of [
      'device_segment',
      'unknown_site',
      'zone_hour',
      'zone_presence',
      'proximity_event',
      'mist_zone',
      'mist_site',
      'mist_connection',
      'known_store',
    ])
      await runner.query(`DROP TABLE ${s}."${table}"`);
  }
}
